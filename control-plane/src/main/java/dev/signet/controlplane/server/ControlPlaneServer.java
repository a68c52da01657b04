package dev.signet.controlplane.server;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one TLS gRPC port of the control plane (15012 by default, like istiod's): client certificates are requested
 * but optional, since a first certificate is asked for with a token and renewals come with the current one.
 */
public final class ControlPlaneServer implements AutoCloseable {

    public static final int DEFAULT_PORT = 15012;
    /** CSRs and tokens are a few KiB; anything near this is hostile. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;

    private final Server server;

    private ControlPlaneServer(Server server) {
        this.server = server;
    }

    public static ControlPlaneServer start(InetSocketAddress address, ServingCredentials credentials,
                                           List<ServerServiceDefinition> services) throws IOException {
        SslContext tls = GrpcSslContexts.configure(SslContextBuilder.forServer(credentials.keyManager()), SslProvider.JDK)
                .trustManager(credentials.trustManager())
                .clientAuth(ClientAuth.OPTIONAL)
                .build();
        NettyServerBuilder builder = NettyServerBuilder.forAddress(address)
                .sslContext(tls)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .maxInboundMetadataSize(16 * 1024);
        services.forEach(builder::addService);
        return new ControlPlaneServer(builder.build().start());
    }

    public static ServerServiceDefinition withCredentials(io.grpc.BindableService service) {
        return ServerInterceptors.intercept(service, new dev.signet.controlplane.ca.CallCredentials());
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdown();
        if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
            server.shutdownNow();
        }
    }
}
