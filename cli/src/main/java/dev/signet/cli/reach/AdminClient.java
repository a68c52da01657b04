package dev.signet.cli.reach;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.cli.Unavailable;
import dev.signet.controlplane.admin.AdminCredential;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Calls a control plane's admin endpoints ({@code /rotation…}, {@code /debug…}) with its admin credential, and turns
 * the answers into JSON or a {@link Refused}; nothing answering is {@link Unavailable}.
 */
public final class AdminClient {

    /** The control plane said no (or could not be reached); the message says why in its words. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    private final String address;
    private final String pod;
    private final String authorization;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    /** {@code token}: the admin credential from the control plane's state directory. */
    public AdminClient(String address, String token) {
        this(address, token, null);
    }

    /** {@code pod}: the Pod that {@code address} forwards to, named in errors; null for a local control plane. */
    AdminClient(String address, String token, String pod) {
        this.address = address;
        this.pod = pod;
        this.authorization = AdminCredential.SCHEME + token;
    }

    public JsonNode get(String path) throws Refused, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public JsonNode post(String path, JsonNode body) throws Refused, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    public ObjectMapper json() {
        return json;
    }

    private URI uri(String path) {
        return URI.create("http://" + address + path);
    }

    /** Not a refusal: nothing answered. Exit 3, naming the address and the option that changes it. */
    private Unavailable unreachable(IOException e) {
        if (pod != null) {
            return new Unavailable("cannot reach " + pod + " through a port-forward: " + e, e);
        }
        if (e instanceof ConnectException) {
            return new Unavailable(
                    "cannot connect to the control plane at " + address + ": nothing listens there (is 'signet serve'"
                            + " running? --address HOST:PORT names its HTTP port, --http-port, 15014 by default)",
                    e);
        }
        return new Unavailable("cannot reach the control plane at " + address + " (--address): " + e.getMessage(), e);
    }

    private JsonNode send(HttpRequest.Builder request) throws Refused, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(
                    request.header("Authorization", authorization)
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unreachable(e);
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            throw new Refused("the control plane at " + address + " answered " + response.statusCode()
                    + " with something that is not JSON");
        }
        if (response.statusCode() != 200) {
            throw new Refused(body.path("error").asText("HTTP " + response.statusCode()));
        }
        return body;
    }
}
