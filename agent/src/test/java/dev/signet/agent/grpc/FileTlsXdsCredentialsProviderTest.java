package dev.signet.agent.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.xds.XdsCredentialsProvider;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class FileTlsXdsCredentialsProviderTest {

    @Test
    void gRPC_finds_it_and_it_outranks_grpcs_own_tls_provider() {
        XdsCredentialsProvider best = null;
        for (XdsCredentialsProvider provider : ServiceLoader.load(XdsCredentialsProvider.class)) {
            if (name(provider).equals("tls") && (best == null || provider.priority() > best.priority())) {
                best = provider;
            }
        }
        assertThat(best).isInstanceOf(FileTlsXdsCredentialsProvider.class);
    }

    @Test
    void a_certificate_without_its_key_is_refused() {
        var provider = new FileTlsXdsCredentialsProvider();
        assertThat(newCredentials(provider, Map.of("certificate_file", "/x/cert.pem")))
                .isNull();
        assertThat(newCredentials(provider, Map.of())).isNotNull();
    }

    @Test
    void refresh_intervals_are_protobuf_json_durations() {
        assertThat(FileTlsXdsCredentialsProvider.refreshSeconds("60s")).isEqualTo(60);
        assertThat(FileTlsXdsCredentialsProvider.refreshSeconds("1.5s")).isEqualTo(2);
        assertThat(FileTlsXdsCredentialsProvider.refreshSeconds("10m")).isEqualTo(600);
        assertThat(FileTlsXdsCredentialsProvider.refreshSeconds(null)).isEqualTo(600);
    }

    private static Object newCredentials(XdsCredentialsProvider provider, Map<String, ?> config) {
        try {
            var method = XdsCredentialsProvider.class.getDeclaredMethod("newChannelCredentials", Map.class);
            method.setAccessible(true);
            return method.invoke(provider, config);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static String name(XdsCredentialsProvider provider) {
        try {
            var method = XdsCredentialsProvider.class.getDeclaredMethod("getName");
            method.setAccessible(true);
            return (String) method.invoke(provider);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
