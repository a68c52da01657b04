package dev.signet.agent.workload;

import dev.signet.agent.Agent;
import dev.signet.agent.AgentConfig;
import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.identity.LocalTokenIssuer;
import dev.signet.controlplane.identity.WorkloadIdentity;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A control plane in this JVM, an agent for shop/payments that has not renewed yet, its Workload API and SDS socket,
 * and a plaintext channel to that socket: what a workload's side of the socket sees.
 */
record AgentOnSocket(
        ControlPlane controlPlane,
        Agent agent,
        WorkloadApiServer server,
        EpollEventLoopGroup clientLoop,
        ManagedChannel channel)
        implements AutoCloseable {

    static AgentOnSocket start(Path dir) throws Exception {
        ControlPlane controlPlane = ControlPlane.startEphemeral(dir.resolve("state"));
        Path token = Files.writeString(
                dir.resolve("token"),
                controlPlane
                        .tokenIssuer()
                        .issue(
                                new WorkloadIdentity("shop", "payments"),
                                Duration.ofMinutes(10),
                                LocalTokenIssuer.DEFAULT_AUDIENCE));
        Agent agent = Agent.create(
                AgentConfig.of(
                        "localhost:" + controlPlane.grpcPort(),
                        dir.resolve("state/root-cert.pem"),
                        token,
                        dir.resolve("certs")),
                Clock.systemUTC(),
                new SecureRandom());
        WorkloadApiServer server = WorkloadApiServer.start(dir.resolve("api/agent.sock"), agent, Clock.systemUTC());
        EpollEventLoopGroup clientLoop = new EpollEventLoopGroup(1);
        ManagedChannel channel = UnixSockets.channel(server.socket(), clientLoop);
        return new AgentOnSocket(controlPlane, agent, server, clientLoop, channel);
    }

    @Override
    public void close() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        server.close();
        controlPlane.close();
    }
}
