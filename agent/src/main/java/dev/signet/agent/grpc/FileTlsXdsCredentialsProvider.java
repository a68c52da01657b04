package dev.signet.agent.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.xds.XdsCredentialsProvider;
import java.io.File;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bootstrap's {@code "tls"} channel credentials as gRFC A65 defines them: {@code ca_certificate_file} to verify
 * the control plane, {@code certificate_file} and {@code private_key_file} to present the workload's certificate,
 * all re-read every {@code refresh_interval} so that renewals and a rotated trust bundle are picked up. It takes
 * precedence over gRPC's own provider of the same name, which in the versions tested here ignores the files.
 */
public final class FileTlsXdsCredentialsProvider extends XdsCredentialsProvider {

    private static final Logger LOG = Logger.getLogger(FileTlsXdsCredentialsProvider.class.getName());
    private static final long DEFAULT_REFRESH_SECONDS = 600;

    private volatile ScheduledExecutorService refresher;

    @Override
    protected ChannelCredentials newChannelCredentials(Map<String, ?> config) {
        TlsChannelCredentials.Builder credentials = TlsChannelCredentials.newBuilder();
        if (config == null) {
            return credentials.build();
        }
        long refresh = refreshSeconds(config.get("refresh_interval"));
        String ca = string(config, "ca_certificate_file");
        String certificate = string(config, "certificate_file");
        String key = string(config, "private_key_file");
        if ((certificate == null) != (key == null)) {
            LOG.warning("xDS tls credentials: certificate_file and private_key_file go together");
            return null;
        }
        try {
            if (ca != null) {
                AdvancedTlsX509TrustManager trust =
                        AdvancedTlsX509TrustManager.newBuilder().build();
                trust.updateTrustCredentials(new File(ca), refresh, TimeUnit.SECONDS, refresher());
                credentials.trustManager(trust);
            }
            if (certificate != null) {
                credentials.keyManager(
                        PairedIdentityFiles.watch(new File(certificate), new File(key), refresh, refresher()));
            }
        } catch (IOException | GeneralSecurityException e) {
            LOG.log(Level.WARNING, "xDS tls credentials: cannot read the certificate files", e);
            return null;
        }
        return credentials.build();
    }

    @Override
    protected String getName() {
        return "tls";
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    /** Above gRPC's own "tls" provider (5), so that the bootstrap's files are honoured. */
    @Override
    public int priority() {
        return 6;
    }

    private ScheduledExecutorService refresher() {
        if (refresher == null) {
            synchronized (this) {
                if (refresher == null) {
                    refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
                        Thread thread = new Thread(runnable, "signet-xds-credential-files");
                        thread.setDaemon(true);
                        return thread;
                    });
                }
            }
        }
        return refresher;
    }

    private static String string(Map<String, ?> config, String key) {
        Object value = config.get(key);
        return value instanceof String text && !text.isEmpty() ? text : null;
    }

    /** Durations in the bootstrap are protobuf JSON durations, such as {@code "60s"} or {@code "1.5s"}. */
    static long refreshSeconds(Object value) {
        if (!(value instanceof String text) || !text.endsWith("s")) {
            return DEFAULT_REFRESH_SECONDS;
        }
        try {
            return Math.max(1, (long) Math.ceil(Double.parseDouble(text.substring(0, text.length() - 1))));
        } catch (NumberFormatException e) {
            return DEFAULT_REFRESH_SECONDS;
        }
    }
}
