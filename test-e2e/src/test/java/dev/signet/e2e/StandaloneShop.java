package dev.signet.e2e;

import dev.signet.cli.demo.DemoCommand;
import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.ControlPlaneConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * The demo's shop served by a standalone control plane in this JVM: its workloads (payments on {@code paymentsPort})
 * and policy in {@code DIR/mesh}, watched every 100 ms, state in {@code DIR/state}; a root rotation's gates settle in
 * 2 s (the agents' bootstraps re-read files every second); JWT-SVIDs live 30 s.
 */
final class StandaloneShop {

    private StandaloneShop() {}

    static ControlPlane start(Path dir, int paymentsPort) throws Exception {
        Path mesh = Files.createDirectories(dir.resolve("mesh"));
        Files.writeString(mesh.resolve("workloads.yaml"), DemoCommand.workloads(paymentsPort));
        Files.writeString(mesh.resolve("policy.yaml"), DemoCommand.POLICY);
        return ControlPlane.start(
                ControlPlaneConfig.defaults(dir.resolve("state"))
                        .withEphemeralPorts()
                        .withStandaloneDirectory(mesh)
                        .withTiming(Duration.ofMillis(100), Duration.ofMillis(100))
                        // A rotation waits out the JWT-SVIDs of the old key: short-lived here, to keep tests short.
                        .with("jwt-svid-ttl", "30s")
                        .withRotation(new dev.signet.controlplane.rotation.RotationSettings(
                                Duration.ofSeconds(2), Duration.ofMillis(200), 200, Duration.ofMillis(500))),
                Clock.systemUTC(),
                new SecureRandom());
    }
}
