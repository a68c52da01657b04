package dev.signet.agent;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/** TLS channels to the control plane: its certificate must chain to {@code trusted}; a held certificate is the client's. */
final class CaChannels {

    private CaChannels() {}

    static ManagedChannel open(
            String address, List<X509Certificate> trusted, Optional<IssuedCredential> clientCertificate)
            throws AgentException {
        try {
            SslContextBuilder tls = GrpcSslContexts.forClient()
                    .trustManager(new ArrayList<>(new LinkedHashSet<>(trusted)).toArray(new X509Certificate[0]));
            clientCertificate.ifPresent(c -> tls.keyManager(c.key(), c.chain().toArray(new X509Certificate[0])));
            return NettyChannelBuilder.forTarget(address)
                    .sslContext(tls.build())
                    .build();
        } catch (SSLException e) {
            throw new AgentException("tls", "cannot set up TLS to " + address + ": " + e.getMessage(), e);
        }
    }
}
