package dev.signet.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stopping server on a real port: the unary call it took finishes with its answer, the stream it holds is cut (so
 * its client reconnects elsewhere), and a call that comes after the stop began is refused.
 */
class DrainTest {

    private static final MethodDescriptor<StringValue, StringValue> SIGN =
            TextMethods.method("test.Drained", "Sign", MethodDescriptor.MethodType.UNARY);
    private static final MethodDescriptor<StringValue, StringValue> WATCH =
            TextMethods.method("test.Drained", "Watch", MethodDescriptor.MethodType.SERVER_STREAMING);

    private final CountDownLatch signing = new CountDownLatch(1);
    private final CountDownLatch mayAnswer = new CountDownLatch(1);
    private final Drain drain = new Drain();
    private Server server;
    private ManagedChannel channel;

    private static StringValue text(String value) {
        return StringValue.of(value);
    }

    @BeforeEach
    void start() throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder("test.Drained")
                .addMethod(
                        SIGN, ServerCalls.asyncUnaryCall((StringValue request, StreamObserver<StringValue> answer) -> {
                            signing.countDown();
                            try {
                                mayAnswer.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            answer.onNext(text("signed " + request.getValue()));
                            answer.onCompleted();
                        }))
                .addMethod(
                        WATCH,
                        ServerCalls.asyncServerStreamingCall((StringValue request, StreamObserver<StringValue> out) -> {
                            out.onNext(text("bundle v1")); // and never completes, as a bundle watch
                        }))
                .build();
        server = NettyServerBuilder.forPort(0)
                .addService(service)
                .intercept(drain)
                .build()
                .start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
                .usePlaintext()
                .build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        mayAnswer.countDown();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void the_unary_call_in_progress_finishes_and_the_stream_is_cut() throws Exception {
        var watch = ClientCalls.blockingServerStreamingCall(channel, WATCH, CallOptions.DEFAULT, text("watch"));
        assertThat(watch.next().getValue()).isEqualTo("bundle v1");
        CompletableFuture<String> signed = CompletableFuture.supplyAsync(
                () -> ClientCalls.blockingUnaryCall(channel, SIGN, CallOptions.DEFAULT, text("csr"))
                        .getValue());
        assertThat(signing.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(drain.inFlight()).isEqualTo(1);

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
            try {
                drain.stop(server, Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(server::isShutdown);
        assertThat(stopping).as("it waits for the unary call").isNotDone();
        StatusRuntimeException late = org.junit.jupiter.api.Assertions.assertThrows(
                StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(
                        channel, SIGN, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), text("late")));
        assertThat(late.getStatus().getCode()).as("a call after the stop began").isEqualTo(Status.Code.UNAVAILABLE);

        mayAnswer.countDown();
        assertThat(signed.get(10, TimeUnit.SECONDS)).isEqualTo("signed csr");
        stopping.get(10, TimeUnit.SECONDS);
        assertThat(server.isTerminated()).isTrue();
        assertThat(drain.inFlight()).isZero();
        StatusRuntimeException cut = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class, () -> {
            while (watch.hasNext()) {
                watch.next();
            }
        });
        assertThat(cut.getStatus().getCode()).isIn(Status.Code.CANCELLED, Status.Code.UNAVAILABLE);
    }

    @Test
    void with_no_unary_call_in_progress_the_streams_are_cut_at_once() throws Exception {
        var watch = ClientCalls.blockingServerStreamingCall(channel, WATCH, CallOptions.DEFAULT, text("watch"));
        assertThat(watch.next().getValue()).isEqualTo("bundle v1");
        drain.stop(server, Duration.ofMinutes(10)); // returns without waiting out its patience
        assertThat(server.isTerminated()).isTrue();
        org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class, watch::hasNext);
    }
}
