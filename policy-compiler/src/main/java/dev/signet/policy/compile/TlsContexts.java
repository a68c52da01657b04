package dev.signet.policy.compile;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateProviderPluginInstance;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;

/** The inbound mTLS transport socket: the workload's certificate and the trust bundle, by name, client cert required. */
final class TlsContexts {

    private TlsContexts() {}

    static TransportSocket downstreamMtls(CompilerOptions options) {
        CommonTlsContext.Builder common = CommonTlsContext.newBuilder();
        if (options.flavor() == TlsFlavor.GRPC) {
            common.setTlsCertificateProviderInstance(CertificateProviderPluginInstance.newBuilder()
                    .setInstanceName(options.certificateName())
                    .setCertificateName(options.certificateName()));
            common.setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                    .setDefaultValidationContext(CertificateValidationContext.newBuilder()
                            .setCaCertificateProviderInstance(CertificateProviderPluginInstance.newBuilder()
                                    .setInstanceName(options.trustBundleName())
                                    .setCertificateName(options.trustBundleName()))));
        } else {
            ConfigSource ads = ConfigSource.newBuilder()
                    .setAds(AggregatedConfigSource.getDefaultInstance())
                    .setResourceApiVersion(ApiVersion.V3)
                    .build();
            common.addTlsCertificateSdsSecretConfigs(SdsSecretConfig.newBuilder()
                    .setName(options.certificateName())
                    .setSdsConfig(ads));
            common.setValidationContextSdsSecretConfig(SdsSecretConfig.newBuilder()
                    .setName(options.trustBundleName())
                    .setSdsConfig(ads));
            common.addAlpnProtocols("h2").addAlpnProtocols("http/1.1");
        }
        DownstreamTlsContext context = DownstreamTlsContext.newBuilder()
                .setCommonTlsContext(common)
                .setRequireClientCertificate(BoolValue.of(true))
                .build();
        return TransportSocket.newBuilder()
                .setName("envoy.transport_sockets.tls")
                .setTypedConfig(Protos.pack(context))
                .build();
    }
}
