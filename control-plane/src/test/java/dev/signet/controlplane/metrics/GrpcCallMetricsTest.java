package dev.signet.controlplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.signet.controlplane.testing.TextMethods;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calls counted by method and code on a real gRPC server, unary durations timed on a clock the test moves. */
class GrpcCallMetricsTest {

    private static final MethodDescriptor<StringValue, StringValue> SIGN =
            TextMethods.method("test.Ca", "Sign", MethodDescriptor.MethodType.UNARY);
    private static final MethodDescriptor<StringValue, StringValue> WATCH =
            TextMethods.method("test.Ca", "Watch", MethodDescriptor.MethodType.SERVER_STREAMING);

    private final AtomicLong now = new AtomicLong();
    private final GrpcCallMetrics metrics = new GrpcCallMetrics(now::get);
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        ServerServiceDefinition service = ServerServiceDefinition.builder("test.Ca")
                .addMethod(
                        SIGN, ServerCalls.asyncUnaryCall((StringValue request, StreamObserver<StringValue> answer) -> {
                            if (request.getValue().equals("forged")) {
                                answer.onError(Status.UNAUTHENTICATED.asRuntimeException());
                                return;
                            }
                            now.addAndGet(3_000_000); // 3 ms of signing
                            answer.onNext(StringValue.of("signed"));
                            answer.onCompleted();
                        }))
                .addMethod(
                        WATCH,
                        ServerCalls.asyncServerStreamingCall((StringValue request, StreamObserver<StringValue> out) ->
                                out.onNext(StringValue.of("bundle v1"))))
                .build();
        server = NettyServerBuilder.forPort(0)
                .addService(service)
                .intercept(metrics)
                .build()
                .start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
                .usePlaintext()
                .build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void calls_are_counted_by_method_type_and_code_and_unary_ones_timed() throws Exception {
        for (int i = 0; i < 2; i++) {
            ClientCalls.blockingUnaryCall(channel, SIGN, CallOptions.DEFAULT, StringValue.of("csr"));
        }
        assertThatThrownBy(() ->
                        ClientCalls.blockingUnaryCall(channel, SIGN, CallOptions.DEFAULT, StringValue.of("forged")))
                .isInstanceOf(StatusRuntimeException.class);
        var watch = ClientCalls.blockingServerStreamingCall(
                channel, WATCH, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), StringValue.of("w"));
        assertThat(watch.next().getValue()).isEqualTo("bundle v1");
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);

        GrpcCallMetrics.Method sign = new GrpcCallMetrics.Method("test.Ca", "Sign", "unary");
        GrpcCallMetrics.Method watching = new GrpcCallMetrics.Method("test.Ca", "Watch", "server_stream");
        Awaitility.await("the cut stream counted")
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> metrics.handled().containsKey(new GrpcCallMetrics.Handled(watching, "CANCELLED")));
        assertThat(metrics.started()).containsEntry(sign, 3L).containsEntry(watching, 1L);
        assertThat(metrics.handled())
                .containsEntry(new GrpcCallMetrics.Handled(sign, "OK"), 2L)
                .containsEntry(new GrpcCallMetrics.Handled(sign, "UNAUTHENTICATED"), 1L)
                .containsEntry(new GrpcCallMetrics.Handled(watching, "CANCELLED"), 1L)
                .hasSize(3);
        LatencyHistogram.Snapshot durations = metrics.unaryLatency().get(sign);
        assertThat(durations.count()).isEqualTo(3);
        assertThat(durations.atMost(0.0025)).as("the refused call took no time").isEqualTo(1);
        assertThat(durations.atMost(0.005)).as("the signed ones 3 ms").isEqualTo(3);
        assertThat(metrics.unaryLatency()).as("streams are not timed").doesNotContainKey(watching);
    }
}
