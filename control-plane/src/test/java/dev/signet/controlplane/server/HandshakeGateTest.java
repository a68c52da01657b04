package dev.signet.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.testing.MutableClock;
import dev.signet.ca.testing.TestCa;
import dev.signet.controlplane.testing.TestServing;
import dev.signet.controlplane.testing.TextMethods;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bound on handshakes in progress, on the real TLS port: connections past it wait (accepted by the kernel, not
 * yet by the server) and are taken, in turn, as earlier ones finish their handshake or go away; a connection that
 * finished its handshake no longer counts, however long it stays.
 */
class HandshakeGateTest {

    private static final MethodDescriptor<StringValue, StringValue> ECHO =
            TextMethods.method("test.Gate", "Echo", MethodDescriptor.MethodType.UNARY);

    private final TestCa ca = TestCa.create(KeyType.EC_P256, new MutableClock(Instant.now()));
    private final List<AutoCloseable> opened = new ArrayList<>();
    private ControlPlaneServer server;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(int limit) throws Exception {
        ServingCredentials credentials = TestServing.issuedBy(ca).credentials();
        ServerServiceDefinition echo = ServerServiceDefinition.builder("test.Gate")
                .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(request);
                    response.onCompleted();
                }))
                .build();
        server = ControlPlaneServer.start(
                new InetSocketAddress("127.0.0.1", 0), credentials, List.of(echo), CallPlacement.POOLED, limit);
    }

    /** A TCP connection that never starts its handshake: it holds a place until it closes. */
    private Socket silent() throws Exception {
        Socket socket = new Socket("127.0.0.1", server.port());
        opened.add(socket);
        return socket;
    }

    private CompletableFuture<String> echo(String text) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forTarget("127.0.0.1:" + server.port())
                .sslContext(GrpcSslContexts.forClient()
                        .trustManager(InsecureTrustManagerFactory.INSTANCE)
                        .build())
                .build();
        opened.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        return CompletableFuture.supplyAsync(() -> ClientCalls.blockingUnaryCall(
                        channel, ECHO, CallOptions.DEFAULT.withWaitForReady(), StringValue.of(text))
                .getValue());
    }

    @Test
    void past_the_limit_a_connection_waits_until_a_place_is_freed() throws Exception {
        start(1);
        Socket holder = silent();
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> server.handshakes().inProgress() == 1);

        CompletableFuture<String> waiting = echo("after the silent one");
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> server.handshakes().pauses() >= 1);
        Thread.sleep(500);
        assertThat(waiting)
                .as("not accepted while the silent connection holds the only place")
                .isNotDone();
        assertThat(server.handshakes().inProgress()).isEqualTo(1);

        holder.close();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("after the silent one");
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(server.handshakes().inProgress())
                        .as("the connection that finished its handshake and stays open")
                        .isZero());
    }

    @Test
    void finished_handshakes_free_their_places_for_many_more_connections() throws Exception {
        start(2);
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            calls.add(echo("call " + i));
        }
        for (int i = 0; i < calls.size(); i++) {
            assertThat(calls.get(i).get(20, TimeUnit.SECONDS)).isEqualTo("call " + i);
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(server.handshakes().inProgress()).isZero());
    }

    @Test
    void a_limit_below_one_is_refused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new HandshakeGate(0));
    }
}
