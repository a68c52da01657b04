package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The chart with the real helm: lint, render, and a server-side dry run of everything it renders. */
@RealCluster
class HelmChartIT {

    @RegisterExtension
    static final KubeCluster cluster = KubeCluster.bare();

    static Path dir;
    static KubeApiServer kube;
    static Path kubeconfig;
    static Path chart;

    @BeforeAll
    static void start() throws Exception {
        dir = cluster.dir();
        kube = cluster.kube();
        kubeconfig = kube.kubeconfig(dir.resolve("admin.kubeconfig"), kube.adminToken());
        chart = SignetProcess.home().resolve("charts/signet");
        kube.kubectl("create", "namespace", "signet-system").ok();
    }

    @Test
    void helm_lint_passes() throws Exception {
        assertThat(kube.helm(kubeconfig, "lint", chart.toString(), "--strict")
                        .ok()
                        .out())
                .contains("0 chart(s) failed");
    }

    @Test
    void the_rendered_chart_passes_a_server_side_dry_run() throws Exception {
        kube.kubectl("apply", "-f", SignetProcess.home().resolve("crds").toString())
                .ok();
        Path rendered = dir.resolve("rendered.yaml");
        Files.writeString(
                rendered,
                kube.helm(
                                kubeconfig,
                                "template",
                                "signet",
                                chart.toString(),
                                "--namespace",
                                "signet-system",
                                "--include-crds",
                                "--kube-version",
                                KubeApiServer.VERSION)
                        .ok()
                        .out());
        String out = kube.kubectl("apply", "--dry-run=server", "-f", rendered.toString())
                .ok()
                .out();
        assertThat(out)
                .contains(
                        "deployment.apps/signet created (server dry run)",
                        "service/signet created (server dry run)",
                        "serviceaccount/signet created (server dry run)",
                        "clusterrole.rbac.authorization.k8s.io/signet-signet-system created (server dry run)",
                        "role.rbac.authorization.k8s.io/signet created (server dry run)");
        assertThat(Files.readString(rendered))
                .contains("replicas: 2", "--token-audience=signet-ca", "--root-namespace=signet-system");
    }

    @Test
    void the_values_schema_refuses_unknown_and_malformed_values() throws Exception {
        KubeApiServer.Kubectl.Result typo =
                kube.helm(kubeconfig, "template", "signet", chart.toString(), "--set", "replica=3");
        assertThat(typo.exitCode()).isNotZero();
        assertThat(typo.out()).contains("replica");
        KubeApiServer.Kubectl.Result ttl =
                kube.helm(kubeconfig, "template", "signet", chart.toString(), "--set", "certificates.maxTtl=forever");
        assertThat(ttl.exitCode()).isNotZero();
        assertThat(ttl.out()).contains("maxTtl");
    }
}
