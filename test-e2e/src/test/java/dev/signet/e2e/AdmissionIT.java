package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.policy.load.Diagnostic;
import dev.signet.policy.load.ResourceLoader;
import dev.signet.policy.validate.PolicyValidator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chart's ValidatingAdmissionPolicy on a real API server, judged against {@code signet check}: every policy check
 * refuses is refused by the API server with each of check's field paths and messages, and every policy at the edge of
 * what check accepts is admitted.
 */
@RealCluster
class AdmissionIT {

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
        kube.applyCrds();
        kube.kubectl("create", "namespace", "shop").ok();
        kube.kubectl("create", "namespace", "signet-system").ok();
        admission("Deny");
        // A new policy takes the API server a moment to compile and bind.
        Path probe = write("probe", documents("refused.yaml").get(0));
        Awaitility.await("the admission policy in force")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> kube.kubectl("apply", "--dry-run=server", "-f", probe.toString())
                                .exitCode()
                        != 0);
    }

    /** Renders the chart's admission policy with {@code action} and applies it. */
    private static void admission(String action) throws Exception {
        String rendered = kube.helm(
                        kubeconfig,
                        "template",
                        "signet",
                        chart.toString(),
                        "--namespace",
                        "signet-system",
                        "--show-only",
                        "templates/admission.yaml",
                        "--set",
                        "admission.action=" + action,
                        "--kube-version",
                        KubeApiServer.VERSION)
                .ok()
                .out();
        assertThat(rendered).contains("kind: ValidatingAdmissionPolicyBinding");
        Path file = dir.resolve("admission-" + action + ".yaml");
        Files.writeString(file, rendered);
        kube.kubectl("apply", "-f", file.toString()).ok();
    }

    @Test
    void every_policy_check_refuses_is_refused_with_checks_paths_and_messages() throws Exception {
        List<String> refused = documents("refused.yaml");
        assertThat(refused).hasSizeGreaterThan(10);
        for (String document : refused) {
            List<String> expected = checkErrors(document);
            assertThat(expected).as("check refuses\n%s", document).isNotEmpty();
            Path file = write("refused", document);
            KubeApiServer.Kubectl.Result applied = kube.kubectl("apply", "-f", file.toString());
            assertThat(applied.exitCode()).as(applied.out()).isNotZero();
            assertThat(applied.out())
                    .as("the API server's refusal of\n%s", document)
                    .contains("ValidatingAdmissionPolicy 'signet-authorizationpolicies-signet-system'")
                    .contains(expected);
            String denial = applied.out().substring(applied.out().indexOf("denied request:"));
            assertThat(denial.split("spec\\.", -1))
                    .as("no error check does not report: %s", denial)
                    .hasSize(expected.size() + 1);
        }
        assertThat(kube.kubectl("get", "authorizationpolicies.security.signet.dev", "-n", "shop", "-o", "name")
                        .ok()
                        .out())
                .as("nothing refused was stored")
                .isBlank();
    }

    @Test
    void every_policy_check_accepts_is_admitted() throws Exception {
        List<String> admitted = documents("admitted.yaml");
        for (String document : admitted) {
            assertThat(checkErrors(document)).as("check accepts\n%s", document).isEmpty();
            Path file = write("admitted", document);
            kube.kubectl("apply", "--dry-run=server", "-f", file.toString()).ok();
        }
        kube.kubectl(
                        "apply",
                        "--dry-run=server",
                        "-f",
                        SignetProcess.home().resolve("config/samples").toString())
                .ok();
    }

    @Test
    void in_warn_mode_an_invalid_policy_is_admitted_with_a_warning_and_can_be_labelled_once_denied_again()
            throws Exception {
        Path file = write("warned", documents("refused.yaml").get(0));
        try {
            admission("Warn");
            Awaitility.await("the binding in Warn mode")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> kube.kubectl("apply", "--dry-run=server", "-f", file.toString())
                                    .exitCode()
                            == 0);
            KubeApiServer.Kubectl.Result warned =
                    kube.kubectl("apply", "-f", file.toString()).ok();
            assertThat(warned.out())
                    .contains("Warning:", "spec.rules[0].to[0].operation.methods[0]: HTTP methods are upper case");
        } finally {
            admission("Deny");
        }
        Awaitility.await("the binding in Deny mode again")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> kube.kubectl(
                                        "apply",
                                        "--dry-run=server",
                                        "-f",
                                        write("again", documents("refused.yaml").get(1))
                                                .toString())
                                .exitCode()
                        != 0);
        kube.kubectl("label", "authorizationpolicies.security.signet.dev", "lower-case-method", "-n", "shop", "team=a")
                .ok();
        kube.kubectl("delete", "authorizationpolicies.security.signet.dev", "lower-case-method", "-n", "shop")
                .ok();
    }

    /** The errors {@code signet check} reports for {@code document}, as {@code path: message}. */
    private static List<String> checkErrors(String document) {
        return new ResourceLoader(new PolicyValidator("signet-system"))
                .loadText("policy.yaml", document).diagnostics().stream()
                        .filter(Diagnostic::isError)
                        .map(diagnostic -> diagnostic.field() + ": " + diagnostic.message())
                        .toList();
    }

    private static List<String> documents(String resource) throws IOException {
        try (InputStream in = AdmissionIT.class.getResourceAsStream("/admission/" + resource)) {
            return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("(?m)^---$"))
                    .map(String::strip)
                    .filter(document -> document.contains("kind:"))
                    .toList();
        }
    }

    private static Path write(String prefix, String document) throws IOException {
        Path file = Files.createTempFile(dir, prefix, ".yaml");
        Files.writeString(file, document + "\n");
        return file;
    }
}
