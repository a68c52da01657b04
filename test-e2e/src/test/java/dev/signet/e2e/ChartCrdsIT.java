package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chart's CRDs as a cluster admin and a GitOps pipeline meet them, with the real helm and kubectl, next to
 * Istio's own CRDs (from the {@code istio.io/istio} module the Istio agent tests build): every kubectl command of the
 * README and the chart's notes shows Signet's resources, not Istio's; {@code kubectl get signet}, {@code -o wide} and
 * {@code kubectl explain} say what they should; {@code helm upgrade} carries a changed CRD to the cluster; and
 * {@code helm uninstall} leaves the CRDs and every policy in place.
 */
@RealCluster
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChartCrdsIT {

    @RegisterExtension
    static final KubeCluster cluster = KubeCluster.bare();

    /** kubectl commands of the docs that name one of Signet's kinds. */
    private static final Pattern SIGNET_COMMAND = Pattern.compile(
            "kubectl (?:get|explain|describe) [^#`\\n]*(?:authorizationpolic|peerauthentic|rootrotation|\\brr\\b"
                    + "|\\bsap\\b|\\bspa\\b|get signet\\b)[^#`\\n]*");

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
        Path istio = GoPrograms.moduleDir("istio.io/istio@" + PilotAgent.ISTIO)
                .resolve("manifests/charts/base/files/crd-all.gen.yaml");
        kube.kubectl("apply", "--server-side", "-f", istio.toString()).ok();
        kube.helm(kubeconfig, "install", "signet", chart.toString(), "-n", "signet-system", "--create-namespace")
                .ok();
        kube.kubectl(
                        "wait",
                        "--for",
                        "condition=Established",
                        "--timeout=60s",
                        "crd/authorizationpolicies.security.signet.dev",
                        "crd/peerauthentications.security.signet.dev",
                        "crd/rootrotations.security.signet.dev",
                        "crd/authorizationpolicies.security.istio.io")
                .ok();
        kube.kubectl("create", "namespace", "shop").ok();
        kube.kubectl(
                        "apply",
                        "-f",
                        SignetProcess.home().resolve("config/samples").toString())
                .ok();
        Path others = dir.resolve("others.yaml");
        Files.writeString(others, """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: istio-only, namespace: shop}
                spec: {}
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: istio-only, namespace: signet-system}
                spec: {mtls: {mode: STRICT}}
                ---
                apiVersion: security.signet.dev/v1
                kind: RootRotation
                metadata: {name: spring-2027}
                spec: {mode: Manual, targetPhase: Prepare}
                """);
        kube.kubectl("apply", "-f", others.toString()).ok();
    }

    @Test
    @Order(1)
    void every_docs_command_shows_signets_resources_next_to_istios() throws Exception {
        List<String> commands = new ArrayList<>();
        for (Path doc : List.of(
                SignetProcess.home().resolve("README.md"),
                chart.resolve("README.md"),
                chart.resolve("templates/NOTES.txt"))) {
            Matcher command = SIGNET_COMMAND.matcher(Files.readString(doc));
            while (command.find()) {
                commands.add(command.group().strip());
            }
        }
        assertThat(commands).as("the docs' commands").hasSizeGreaterThanOrEqualTo(4);
        for (String command : commands) {
            String[] args = command.substring("kubectl ".length()).split("\\s+");
            KubeApiServer.Kubectl.Result result = kube.kubectl(args);
            assertThat(result.exitCode()).as("%s:\n%s", command, result.out()).isZero();
            assertThat(result.out())
                    .as("%s", command)
                    .doesNotContain("No resources found", "istio-only", "security.istio.io");
            if (args[0].equals("get")) {
                assertThat(result.out()).as("%s", command).containsAnyOf("payments-charge", "default", "spring-2027");
            }
        }
    }

    @Test
    @Order(2)
    void the_signet_category_lists_every_kind_and_wide_output_adds_the_reasons() throws Exception {
        String all = kube.kubectl("get", "signet", "-A").ok().out();
        assertThat(all)
                .contains(
                        "authorizationpolicy.security.signet.dev/payments-charge",
                        "peerauthentication.security.signet.dev/default",
                        "rootrotation.security.signet.dev/spring-2027")
                .doesNotContain("istio-only");
        assertThat(kube.kubectl("get", "sap", "-n", "shop", "-o", "wide")
                        .ok()
                        .out()
                        .lines()
                        .findFirst()
                        .orElseThrow())
                .matches("NAME\\s+ACTION\\s+READY\\s+REASON\\s+MESSAGE\\s+AGE\\s*");
        assertThat(kube.kubectl("get", "spa", "-n", "signet-system").ok().out()).containsPattern("default\\s+STRICT");
        assertThat(kube.kubectl("get", "rr", "-o", "wide")
                        .ok()
                        .out()
                        .lines()
                        .findFirst()
                        .orElseThrow())
                .matches("NAME\\s+PHASE\\s+ROLLBACK\\s+CONFIRMED\\s+OLD-LEAVES\\s+READY\\s+GATE\\s+BUNDLE\\s+REASON"
                        + "\\s+MESSAGE\\s+AGE\\s*");
    }

    @Test
    @Order(3)
    void kubectl_explain_describes_each_kind_its_spec_and_its_status() throws Exception {
        for (String kind : List.of("authorizationpolicies", "peerauthentications", "rootrotations")) {
            for (String field : List.of(kind, kind + ".spec", kind + ".status")) {
                String explain = kube.kubectl("explain", field, "--api-version=security.signet.dev/v1")
                        .ok()
                        .out();
                assertThat(explain).as(field).contains("DESCRIPTION:").doesNotContain("<empty>");
            }
        }
        assertThat(kube.kubectl("explain", "rootrotations", "--api-version=security.signet.dev/v1")
                        .ok()
                        .out())
                .contains("A request to replace the mesh's root CA");
        String crd = kube.kubectl("get", "crd", "authorizationpolicies.security.signet.dev", "-o", "yaml")
                .ok()
                .out();
        assertThat(crd)
                .contains(
                        "app.kubernetes.io/managed-by: Helm",
                        "app.kubernetes.io/part-of: signet",
                        "helm.sh/resource-policy: keep",
                        "x-kubernetes-list-type: map");
    }

    @Test
    @Order(4)
    void helm_upgrade_carries_a_changed_crd_to_the_cluster() throws Exception {
        Path changed = dir.resolve("chart");
        copy(chart, changed);
        Path template = changed.resolve("templates/crds/rootrotations.security.signet.dev.yaml");
        String before = Files.readString(template);
        assertThat(before).contains("    - \"rr\"\n");
        Files.writeString(template, before.replace("    - \"rr\"\n", "    - \"rr\"\n    - \"rotation\"\n"));
        kube.helm(kubeconfig, "upgrade", "signet", changed.toString(), "-n", "signet-system")
                .ok();
        assertThat(kube.kubectl(
                                "get",
                                "crd",
                                "rootrotations.security.signet.dev",
                                "-o",
                                "jsonpath={.spec.names.shortNames}")
                        .ok()
                        .out())
                .contains("rotation");
        assertThat(kube.kubectl("get", "rotation").ok().out()).contains("spring-2027");
    }

    @Test
    @Order(5)
    void helm_uninstall_keeps_the_crds_and_every_policy() throws Exception {
        kube.helm(kubeconfig, "uninstall", "signet", "-n", "signet-system").ok();
        assertThat(kube.kubectl("get", "authorizationpolicies.security.signet.dev", "-n", "shop")
                        .ok()
                        .out())
                .contains("payments-charge", "no-delete");
        assertThat(kube.kubectl("get", "rr").ok().out()).contains("spring-2027");
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
