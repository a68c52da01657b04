package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's quickstart, bin/signet demo, as a user runs it. */
class DemoIT {

    @TempDir
    Path dir;

    @Test
    void the_demo_shows_every_decision_and_succeeds() throws Exception {
        SignetProcess.Result demo =
                SignetProcess.run(dir, "demo", "--dir", dir.resolve("demo").toString());
        assertThat(demo.exitCode()).as(demo.out() + demo.err()).isZero();
        assertThat(demo.out())
                .contains("checkout -> Charge : OK")
                .contains("checkout -> Refund : PERMISSION_DENIED")
                .contains("other    -> Charge : PERMISSION_DENIED")
                .contains("plaintext -> Charge: UNAVAILABLE")
                .containsPattern("other    -> Charge : OK after \\d+ ms, no restart")
                .contains("NACKs: 0")
                .contains("every call went as the policies say");
        assertThat(demo.err())
                .as("the parts' logs go to the demo's log, not between the narrative's lines")
                .doesNotContain("INFO", "SLF4J");
        assertThat(dir.resolve("demo/demo.log")).content().contains("INFO").doesNotContain("\nINFO: ");
    }
}
