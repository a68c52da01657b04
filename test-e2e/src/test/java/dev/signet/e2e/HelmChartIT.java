package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
                        "role.rbac.authorization.k8s.io/signet created (server dry run)",
                        "poddisruptionbudget.policy/signet created (server dry run)");
        assertThat(Files.readString(rendered))
                .contains(
                        "replicas: 2",
                        "--token-audience=signet-ca",
                        "--root-namespace=signet-system",
                        // production defaults: replicas apart, a numeric user, a writable /tmp, a startup probe
                        "podAntiAffinity:",
                        "topologyKey: kubernetes.io/hostname",
                        "runAsUser: 65532",
                        "mountPath: /tmp",
                        "path: /q/health/started",
                        "-Djava.io.tmpdir=/tmp -XX:MaxRAMPercentage=75");
    }

    @Test
    void values_that_contradict_each_other_fail_with_the_fields_named() throws Exception {
        KubeApiServer.Kubectl.Result ttl =
                template("--set", "certificates.defaultTtl=2d", "--set", "certificates.maxTtl=36h");
        assertThat(ttl.exitCode()).isNotZero();
        assertThat(ttl.out()).contains("certificates.defaultTtl (2d) must not exceed certificates.maxTtl (36h)");
        assertThat(template("--set", "certificates.defaultTtl=90m", "--set", "certificates.maxTtl=2h")
                        .exitCode())
                .isZero();
        KubeApiServer.Kubectl.Result budget = template("--set", "podDisruptionBudget.maxUnavailable=2");
        assertThat(budget.exitCode()).isNotZero();
        assertThat(budget.out()).contains("podDisruptionBudget.maxUnavailable (2) must be below replicas (2)");
    }

    @Test
    void scheduling_image_and_extra_settings_reach_the_deployment() throws Exception {
        String digest = "sha256:" + "ab".repeat(32);
        String out = template(
                        "--set", "image.digest=" + digest,
                        "--set", "extraArgs={--auto-rotate,--root-expiry-margin=33%}",
                        "--set", "extraEnv[0].name=SIGNET_XDS_DEBOUNCE",
                        "--set", "extraEnv[0].value=200ms",
                        "--set", "priorityClassName=system-cluster-critical",
                        "--set", "nodeSelector.pool=control",
                        "--set", "imagePullSecrets[0].name=registry",
                        "--set", "podAnnotations.team=mesh",
                        "--set", "replicas=1")
                .ok()
                .out();
        assertThat(out)
                .contains(
                        "ghcr.io/signet-mesh/signet@" + digest,
                        "- \"--auto-rotate\"",
                        "- \"--root-expiry-margin=33%\"",
                        "name: SIGNET_XDS_DEBOUNCE",
                        "priorityClassName: system-cluster-critical",
                        "pool: control",
                        "- name: registry",
                        "team: mesh")
                .as("one replica: no budget that would block every drain")
                .doesNotContain("PodDisruptionBudget");
        KubeApiServer.Kubectl.Result notAnOption = template("--set", "extraArgs={auto-rotate}");
        assertThat(notAnOption.exitCode()).isNotZero();
        assertThat(notAnOption.out()).contains("extraArgs");
    }

    private KubeApiServer.Kubectl.Result template(String... values) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "template",
                "signet",
                chart.toString(),
                "--namespace",
                "signet-system",
                "--kube-version",
                KubeApiServer.VERSION));
        args.addAll(List.of(values));
        return kube.helm(kubeconfig, args.toArray(String[]::new));
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
