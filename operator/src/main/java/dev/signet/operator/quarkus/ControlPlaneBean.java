package dev.signet.operator.quarkus;

import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.ControlPlaneConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;

/** Starts the control plane with the application and stops it with it. */
@ApplicationScoped
public class ControlPlaneBean {

    private final SignetConfig config;
    private volatile ControlPlane controlPlane;

    ControlPlaneBean(SignetConfig config) {
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        ControlPlaneConfig settings = ControlPlaneConfig.defaults(config.stateDir())
                .withGrpcAddress(new InetSocketAddress(config.address(), config.grpcPort()))
                .withTrustDomain(config.trustDomain())
                .withTiming(config.xdsDebounce(), config.pollInterval());
        if (config.standalone().isPresent()) {
            settings = settings.withStandaloneDirectory(config.standalone().get());
        }
        try {
            controlPlane = ControlPlane.start(settings, Clock.systemUTC(), new SecureRandom());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    public ControlPlane get() {
        return controlPlane;
    }
}
