package dev.signet.server;

import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.ControlPlaneConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/** Prints where everything is, then waits until the process is asked to stop. */
public class ServeApplication implements QuarkusApplication {

    private static final Logger LOG = Logger.getLogger(ServeApplication.class.getName());

    @Inject
    ControlPlaneBean bean;

    @Override
    public int run(String... args) {
        ControlPlane controlPlane = bean.get();
        ControlPlaneConfig config = bean.config();
        String httpHost = config.httpAddress();
        int httpPort = config.httpPort();
        List<String> banner = new ArrayList<>();
        banner.add(String.format(
                "signet control plane for %s: CA and xDS on %s:%d (TLS, identity %s)",
                config.trustDomain(),
                config.grpcAddress().getHostString(),
                controlPlane.grpcPort(),
                controlPlane.identity()));
        if (bean.inCluster()) {
            banner.add("policies and workloads: the cluster's AuthorizationPolicies, PeerAuthentications and Pods");
            banner.add(String.format(
                    "health, metrics, proxy status: http://%s:%d/q/health/ready, /q/metrics, /debug/proxies",
                    httpHost, httpPort));
            banner.add("trust bundle: ConfigMap signet-root-cert (key root-cert.pem) in every namespace");
            banner.add("a workload token: kubectl create token SA -n NS --audience " + config.tokenAudience());
        } else {
            banner.add("policies and workloads: "
                    + config.standaloneDirectory()
                            .map(dir ->
                                    dir + " (reloaded on change; an invalid edit keeps the last good configuration)")
                            .orElse("none (pass --standalone DIR)"));
            banner.add(String.format(
                    "health, metrics, proxy status: http://%s:%d/q/health/ready, /q/metrics, /debug/proxies",
                    httpHost, httpPort));
            banner.add("trust bundle (give it to agents as --ca-root): "
                    + config.stateDirectory().resolve("root-cert.pem"));
            banner.add("a workload token: bin/signet token --state-dir " + config.stateDirectory()
                    + " --namespace NS --service-account SA");
        }
        banner.add("ready");
        if (config.jsonLogs()) {
            // A log pipeline reads one JSON object per line: the banner goes through the logger too.
            banner.forEach(LOG::info);
        } else {
            banner.forEach(System.out::println);
            System.out.flush();
        }
        Quarkus.waitForExit();
        return 0;
    }
}
