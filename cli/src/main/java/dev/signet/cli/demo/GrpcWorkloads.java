package dev.signet.cli.demo;

import dev.signet.agent.Agent;
import dev.signet.agent.AgentConfig;
import dev.signet.agent.IssuedCredential;
import dev.signet.agent.RunningAgent;
import dev.signet.agent.XdsBootstrap;
import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.identity.LocalTokenIssuer;
import dev.signet.controlplane.identity.WorkloadIdentity;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.xds.XdsChannelCredentials;
import io.grpc.xds.XdsNameResolverProvider;
import io.grpc.xds.XdsServerBuilder;
import io.grpc.xds.XdsServerCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Real gRPC-Java xDS workloads: the payments server ({@code payments.Payments/Charge} and {@code /Refund}) and
 * clients dialling {@code xds:///payments.shop:PORT}. Several identities share one process here (the demo, the
 * tests), so each gets its bootstrap through gRPC's per-server and per-resolver hooks instead of the one
 * process-wide bootstrap file a real workload uses.
 */
public final class GrpcWorkloads {

    public static final MethodDescriptor<String, String> CHARGE = method("payments.Payments/Charge");
    public static final MethodDescriptor<String, String> REFUND = method("payments.Payments/Refund");

    private GrpcWorkloads() {}

    /** What a pod would have: its certificate from the agent, and the xDS bootstrap over those files. */
    public record Provisioned(IssuedCredential credential, Map<String, Object> bootstrap) {}

    /**
     * Gives workload {@code namespace/name} what a pod gets: a token ({@code DIR/NAME.token}), certificate files from
     * the agent ({@code DIR/NAME/}) and its gRPC bootstrap ({@code DIR/NAME/grpc-bootstrap.json}).
     */
    public static Provisioned provision(
            ControlPlane controlPlane, Path dir, String namespace, String name, Clock clock, SecureRandom random)
            throws Exception {
        Path token = dir.resolve(name + ".token");
        Files.writeString(
                token,
                controlPlane
                        .tokenIssuer()
                        .issue(
                                new WorkloadIdentity(namespace, name),
                                Duration.ofMinutes(10),
                                LocalTokenIssuer.DEFAULT_AUDIENCE));
        return provision(
                "localhost:" + controlPlane.grpcPort(),
                controlPlane.rootCertificateFile(),
                token,
                dir.resolve(name),
                namespace,
                name,
                clock,
                random);
    }

    /**
     * Gives workload {@code namespace/name} its certificate files in {@code certs} from the CA at {@code address},
     * proving itself with the token in {@code token} and trusting {@code rootCert}, and its gRPC bootstrap there:
     * what the agent does in a pod, whoever issued the token.
     */
    public static Provisioned provision(
            String address,
            Path rootCert,
            Path token,
            Path certs,
            String namespace,
            String name,
            Clock clock,
            SecureRandom random)
            throws Exception {
        IssuedCredential credential = Agent.create(AgentConfig.of(address, rootCert, token, certs), clock, random)
                .renewOnce();
        XdsBootstrap.write(certs.resolve(XdsBootstrap.FILE), address, namespace, name, certs);
        return new Provisioned(credential, XdsBootstrap.of(address, namespace, name, certs));
    }

    /** A workload whose agent keeps running: renewing, watching the bundle, answering a rotation. */
    public record Running(RunningAgent agent, Map<String, Object> bootstrap, Path certificates)
            implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            agent.close();
        }
    }

    /**
     * Like {@link #provision}, with the agent left running as {@code signet agent} runs in a pod, and gRPC re-reading
     * the files every {@code refresh}. Returns once the first certificate is written.
     */
    public static Running run(
            ControlPlane controlPlane,
            Path dir,
            String namespace,
            String name,
            Duration refresh,
            Clock clock,
            SecureRandom random)
            throws Exception {
        Path token = dir.resolve(name + ".token");
        Files.writeString(
                token,
                controlPlane
                        .tokenIssuer()
                        .issue(
                                new WorkloadIdentity(namespace, name),
                                Duration.ofMinutes(30),
                                LocalTokenIssuer.DEFAULT_AUDIENCE));
        return run(
                "localhost:" + controlPlane.grpcPort(),
                controlPlane.rootCertificateFile(),
                token,
                dir.resolve(name),
                namespace,
                name,
                refresh,
                clock,
                random);
    }

    /**
     * Like {@link #run(ControlPlane, Path, String, String, Duration, Clock, SecureRandom)} against the CA at
     * {@code address}, proving itself with the token in {@code token} (a projected service-account token in a
     * cluster) and trusting {@code rootCert} to begin with.
     */
    public static Running run(
            String address,
            Path rootCert,
            Path token,
            Path certs,
            String namespace,
            String name,
            Duration refresh,
            Clock clock,
            SecureRandom random)
            throws Exception {
        AgentConfig config = AgentConfig.of(address, rootCert, token, certs);
        RunningAgent agent =
                RunningAgent.start(Agent.create(config, clock, random), config, namespace + "/" + name, random);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (agent.agent().current().isEmpty()) {
            if (System.nanoTime() > deadline) {
                agent.close();
                throw new IllegalStateException(
                        "the agent of " + namespace + "/" + name + " got no certificate in 30 s");
            }
            Thread.sleep(20);
        }
        return new Running(agent, XdsBootstrap.of(address, namespace, name, certs, refresh), certs);
    }

    /**
     * Starts the payments server; {@code start()} blocks until the control plane has sent a valid listener, so it
     * runs under a deadline and fails with the server's own account of why it is not serving.
     */
    public static Server startPayments(int port, Map<String, Object> bootstrap) throws Exception {
        ServerServiceDefinition service = ServerServiceDefinition.builder("payments.Payments")
                .addMethod(CHARGE, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext("charged " + request);
                    response.onCompleted();
                }))
                .addMethod(REFUND, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext("refunded " + request);
                    response.onCompleted();
                }))
                .build();
        AtomicReference<Throwable> notServing = new AtomicReference<>();
        Server server = XdsServerBuilder.forPort(port, XdsServerCredentials.create(InsecureServerCredentials.create()))
                .overrideBootstrapForTest(bootstrap)
                .xdsServingStatusListener(new XdsServerBuilder.XdsServingStatusListener() {
                    @Override
                    public void onServing() {}

                    @Override
                    public void onNotServing(Throwable t) {
                        notServing.set(t);
                    }
                })
                .addService(service)
                .build();
        CompletableFuture<Server> started = CompletableFuture.supplyAsync(() -> {
            try {
                return server.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            return started.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            server.shutdownNow();
            throw new IllegalStateException(
                    "the xDS server did not start serving within 30 s: " + notServing.get(), notServing.get());
        }
    }

    /** A client with its own identity: a resolver scheme of its own keeps its xDS client apart from the others'. */
    public static ManagedChannel client(String scheme, String target, Map<String, Object> bootstrap) {
        return Grpc.newChannelBuilder(
                        scheme + ":///" + target, XdsChannelCredentials.create(InsecureChannelCredentials.create()))
                .nameResolverFactory(XdsNameResolverProvider.createForTest(scheme, bootstrap))
                .build();
    }

    /**
     * Repeats {@code call} until a policy change has reached the workloads: until it succeeds when {@code wanted} is
     * OK (returning the answer), or until it is refused with {@code wanted} (returning null). On the way only the
     * other of OK and PERMISSION_DENIED may be seen; anything else, or 30 s without the outcome, fails.
     */
    public static String awaitOutcome(Status.Code wanted, Supplier<String> call) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Status.Code last = null;
        while (System.nanoTime() < deadline) {
            try {
                String answer = call.get();
                if (wanted == Status.Code.OK) {
                    return answer;
                }
                last = Status.Code.OK;
            } catch (StatusRuntimeException e) {
                last = e.getStatus().getCode();
                if (last == wanted) {
                    return null;
                }
                if (last != Status.Code.PERMISSION_DENIED) {
                    throw new IllegalStateException(
                            "waiting for " + wanted + ", the call failed otherwise: " + e.getStatus(), e);
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("still " + last + " after 30 s, waiting for " + wanted);
    }

    public static String call(ManagedChannel channel, MethodDescriptor<String, String> method, String body) {
        return ClientCalls.blockingUnaryCall(
                channel, method, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), body);
    }

    private static MethodDescriptor<String, String> method(String name) {
        return MethodDescriptor.<String, String>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(name)
                .setRequestMarshaller(new Utf8())
                .setResponseMarshaller(new Utf8())
                .build();
    }

    /** Plain UTF-8 bodies: the test is about who may call, not about payloads. */
    private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
