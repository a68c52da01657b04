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
    void one_file_or_standard_input_is_read_as_a_folder_is() throws Exception {
        Path file = SignetProcess.home().resolve("config/samples/payments-authz.yaml");
        SignetProcess.Result one = SignetProcess.run(dir, "check", file.toString());
        assertThat(one.exitCode()).as(one.out() + one.err()).isZero();
        assertThat(one.out()).contains("OK: 2 resource(s)");

        String broken = Files.readString(file).replace("paths: [\"/charge\"]", "paths: [\"charge\"]");
        SignetProcess.Result piped = SignetProcess.runWithInput(dir, broken, "check", "-");
        assertThat(piped.exitCode()).isEqualTo(1);
        assertThat(piped.out())
                .contains("<stdin>:")
                .contains("spec.rules[0].to[0].operation.paths[0]: a path starts with '/'");

        SignetProcess.Result graph = SignetProcess.runWithInput(dir, Files.readString(file), "graph", "-");
        assertThat(graph.exitCode()).as(graph.err()).isZero();
        assertThat(graph.out()).contains("0 workload(s)");

        SignetProcess.Result missing = SignetProcess.run(dir, "check", "no-such-place");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("no such file or folder").contains("no-such-place");
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
