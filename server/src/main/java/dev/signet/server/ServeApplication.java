package dev.signet.server;

import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.ControlPlaneConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;

/** Prints where everything is, then waits until the process is asked to stop. */
public class ServeApplication implements QuarkusApplication {

    @Inject
    ControlPlaneBean bean;

    @Override
    public int run(String... args) {
        ControlPlane controlPlane = bean.get();
        ControlPlaneConfig config = bean.config();
        String httpHost = config.httpAddress();
        int httpPort = config.httpPort();
        System.out.printf(
                "signet control plane for %s: CA and xDS on %s:%d (TLS, identity %s)%n",
                config.trustDomain(),
                config.grpcAddress().getHostString(),
                controlPlane.grpcPort(),
                controlPlane.identity());
        if (bean.inCluster()) {
            System.out.printf(
                    "policies and workloads: the cluster's AuthorizationPolicies, PeerAuthentications and Pods%n");
            System.out.printf(
                    "health, metrics, proxy status: http://%s:%d/q/health/ready, /q/metrics, /debug/proxies%n",
                    httpHost, httpPort);
            System.out.printf("trust bundle: ConfigMap signet-root-cert (key root-cert.pem) in every namespace%n");
            System.out.printf(
                    "a workload token: kubectl create token SA -n NS --audience %s%n", config.tokenAudience());
        } else {
            System.out.printf(
                    "policies and workloads: %s%n",
                    config.standaloneDirectory()
                            .map(dir ->
                                    dir + " (reloaded on change; an invalid edit keeps the last good configuration)")
                            .orElse("none (pass --standalone DIR)"));
            System.out.printf(
                    "health, metrics, proxy status: http://%s:%d/q/health/ready, /q/metrics, /debug/proxies%n",
                    httpHost, httpPort);
            System.out.printf(
                    "trust bundle (give it to agents as --ca-root): %s%n",
                    config.stateDirectory().resolve("root-cert.pem"));
            System.out.printf(
                    "a workload token: bin/signet token --state-dir %s --namespace NS --service-account SA%n",
                    config.stateDirectory());
        }
        System.out.println("ready");
        System.out.flush();
        Quarkus.waitForExit();
        return 0;
    }
}
