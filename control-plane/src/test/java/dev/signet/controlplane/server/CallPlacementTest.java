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
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where calls run on the real server: a method the placement names runs on its connection's event loop when its
 * predicate holds for the call's headers, and on the pool otherwise, as does every method it does not name.
 */
class CallPlacementTest {

    private static final MethodDescriptor<StringValue, StringValue> NAMED =
            TextMethods.method("test.Placement", "Named", MethodDescriptor.MethodType.UNARY);
    private static final MethodDescriptor<StringValue, StringValue> OTHER =
            TextMethods.method("test.Placement", "Other", MethodDescriptor.MethodType.UNARY);
    private static final MethodDescriptor<StringValue, StringValue> THROWING =
            TextMethods.method("test.Placement", "Throwing", MethodDescriptor.MethodType.UNARY);
    private static final Metadata.Key<String> AT_ONCE = Metadata.Key.of("x-at-once", Metadata.ASCII_STRING_MARSHALLER);

    private final TestCa ca = TestCa.create(KeyType.EC_P256, new MutableClock(Instant.now()));
    private ControlPlaneServer server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        ServingCredentials credentials = TestServing.issuedBy(ca).credentials();
        ServerCalls.UnaryMethod<StringValue, StringValue> whichThread = (request, response) -> {
            response.onNext(StringValue.of(Thread.currentThread().getName()));
            response.onCompleted();
        };
        ServerServiceDefinition service = ServerServiceDefinition.builder("test.Placement")
                .addMethod(NAMED, ServerCalls.asyncUnaryCall(whichThread))
                .addMethod(OTHER, ServerCalls.asyncUnaryCall(whichThread))
                .addMethod(THROWING, ServerCalls.asyncUnaryCall(whichThread))
                .build();
        CallPlacement placement = CallPlacement.POOLED
                .inPlaceWhen(NAMED, headers -> headers.containsKey(AT_ONCE))
                .inPlaceWhen(THROWING, headers -> {
                    throw new IllegalStateException("a predicate that fails");
                });
        server = ControlPlaneServer.start(
                new InetSocketAddress("127.0.0.1", 0), credentials, List.of(service), placement);
        channel = NettyChannelBuilder.forTarget("127.0.0.1:" + server.port())
                .sslContext(GrpcSslContexts.forClient()
                        .trustManager(InsecureTrustManagerFactory.INSTANCE)
                        .build())
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    private String threadOf(MethodDescriptor<StringValue, StringValue> method, boolean atOnce) {
        Metadata headers = new Metadata();
        if (atOnce) {
            headers.put(AT_ONCE, "yes");
        }
        var intercepted =
                io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        return ClientCalls.blockingUnaryCall(intercepted, method, CallOptions.DEFAULT, StringValue.of(""))
                .getValue();
    }

    @Test
    void a_named_method_runs_on_the_event_loop_when_its_predicate_holds() {
        assertThat(threadOf(NAMED, true)).startsWith("signet-grpc-worker");
    }

    @Test
    void otherwise_calls_run_on_the_pool() {
        assertThat(threadOf(NAMED, false)).startsWith("signet-grpc-call");
        assertThat(threadOf(OTHER, true)).as("a method not named").startsWith("signet-grpc-call");
        assertThat(threadOf(THROWING, true)).as("a predicate that throws").startsWith("signet-grpc-call");
    }
}
