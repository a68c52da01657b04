package dev.signet.operator.injection;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The webhook's HTTPS port. It presents the control plane's serving certificate through a key manager that follows
 * its renewals, so a rotation changes what the next handshake sees, with no restart. Only {@code POST /inject} with
 * a body of at most {@link #MAX_BODY} bytes is answered.
 */
public final class WebhookServer implements AutoCloseable {

    public static final String PATH = "/inject";
    /** Larger than any pod the API server accepts (its request limit is 3 MiB). */
    static final int MAX_BODY = 4 * 1024 * 1024;

    private static final Logger LOG = Logger.getLogger(WebhookServer.class.getName());

    private final HttpsServer server;
    private final ExecutorService executor;
    private final AdmissionReviewer reviewer;

    private WebhookServer(HttpsServer server, ExecutorService executor, AdmissionReviewer reviewer) {
        this.server = server;
        this.executor = executor;
        this.reviewer = reviewer;
    }

    public static WebhookServer start(
            String address, int port, X509ExtendedKeyManager keys, AdmissionReviewer reviewer, SecureRandom random)
            throws IOException {
        SSLContext tls;
        try {
            tls = SSLContext.getInstance("TLS");
            tls.init(new KeyManager[] {keys}, null, random);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up the webhook's TLS", e);
        }
        HttpsServer https = HttpsServer.create(new InetSocketAddress(address, port), 64);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "signet-webhook");
            thread.setDaemon(true);
            return thread;
        });
        https.setExecutor(executor);
        WebhookServer server = new WebhookServer(https, executor, reviewer);
        https.createContext("/", server::handle);
        https.start();
        LOG.info(() -> "admission webhook on https://" + address + ":" + server.port() + PATH);
        return server;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            if (!exchange.getRequestURI().getPath().equals(PATH)) {
                answer(exchange, 404, "text/plain", "no such path; the webhook is " + PATH);
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                answer(exchange, 405, "text/plain", "POST an AdmissionReview");
                return;
            }
            byte[] body = readAtMost(exchange.getRequestBody(), MAX_BODY);
            if (body == null) {
                answer(exchange, 413, "text/plain", "the AdmissionReview is larger than " + MAX_BODY + " bytes");
                return;
            }
            answer(exchange, 200, "application/json", reviewer.review(body));
        } catch (AdmissionReviewer.InvalidReview e) {
            answer(exchange, 400, "text/plain", e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the admission webhook failed", e);
            answer(exchange, 500, "text/plain", "internal error");
        } finally {
            exchange.close();
        }
    }

    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        byte[] body = in.readNBytes(limit + 1);
        return body.length > limit ? null : body;
    }

    private static void answer(HttpExchange exchange, int status, String type, String text) throws IOException {
        answer(exchange, status, type, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void answer(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops taking connections; an answer under way gets a second to finish. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
