package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a GitOps pipeline runs: bin/signet check on the repository's samples, and on a broken change. */
class PolicyCliIT {

    @TempDir
    Path dir;

    @Test
    void check_and_explain_the_samples_through_bin_signet() throws Exception {
        Path samples = SignetProcess.home().resolve("config/samples");
        SignetProcess.Result check = SignetProcess.run(dir, "check", samples.toString());
        assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
        SignetProcess.Result explain = SignetProcess.run(
                dir,
                "explain",
                samples.toString(),
                "--workload",
                "shop/payments",
                "--port",
                "8080",
                "--from",
                "spiffe://cluster.local/ns/shop/sa/checkout",
                "--method",
                "POST",
                "--path",
                "/charge");
        assertThat(explain.out()).startsWith("ALLOW: ");
    }

    @Test
    void a_pull_request_with_a_broken_policy_fails_the_check() throws Exception {
        Path samples = SignetProcess.home().resolve("config/samples");
        try (var files = Files.list(samples)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
        Files.writeString(
                dir.resolve("payments-authz.yaml"),
                Files.readString(dir.resolve("payments-authz.yaml"))
                        .replace("paths: [\"/charge\"]", "paths: [\"charge\"]"));
        SignetProcess.Result check = SignetProcess.run(dir, "check", ".");
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.out())
                .contains("payments-authz.yaml")
                .contains("spec.rules[0].to[0].operation.paths[0]")
                .contains("starts with '/'");
    }
}
