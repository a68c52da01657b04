package dev.signet.server;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** Ready when the CA and xDS serve and the configuration (standalone folder, or the cluster) has been loaded. */
@ApplicationScoped
@org.eclipse.microprofile.health.Readiness
public class Readiness implements HealthCheck {

    private final ControlPlaneBean controlPlane;

    Readiness(ControlPlaneBean controlPlane) {
        this.controlPlane = controlPlane;
    }

    @Override
    public HealthCheckResponse call() {
        var plane = controlPlane.get();
        boolean ready = controlPlane.ready();
        return HealthCheckResponse.named("signet-control-plane")
                .status(ready)
                .withData("grpcPort", plane == null ? 0 : plane.grpcPort())
                .build();
    }
}
