package dev.signet.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRDs in {@code crds/} and {@code charts/signet/crds/} are what the Java types generate. This only checks;
 * {@code tools/crds} regenerates them.
 */
class CrdsAreFreshTest {

    private static final Path REPOSITORY = Path.of("..");

    @Test
    void checkedInCrdsMatchTheJavaTypes(@TempDir Path scratch) throws IOException {
        Map<String, String> fresh = CrdRendering.render(scratch);
        for (Path folder : CrdRendering.FOLDERS) {
            for (Map.Entry<String, String> crd : fresh.entrySet()) {
                Path checkedIn = REPOSITORY.resolve(folder).resolve(crd.getKey());
                assertThat(checkedIn)
                        .as("%s is missing: run tools/crds", checkedIn)
                        .exists();
                assertThat(Files.readString(checkedIn))
                        .as("%s is stale: run tools/crds", checkedIn)
                        .isEqualTo(crd.getValue());
            }
        }
    }

    @Test
    void printerColumnsFollowTheDeclaredOrder() {
        String generated = """
                spec:
                  versions:
                  - additionalPrinterColumns:
                    - jsonPath: ".metadata.creationTimestamp"
                      name: "Age"
                    - jsonPath: ".status.confirmed"
                      name: "Confirmed"
                    - jsonPath: ".status.oldRootLeavesInUse"
                      name: "Old-Leaves"
                    - jsonPath: ".status.phase"
                      name: "Phase"
                    name: "v1"
                """;
        String ordered = CrdRendering.inDeclaredOrder(generated, RootRotationResource.class);
        assertThat(ordered)
                .hasSameSizeAs(generated)
                .containsSubsequence("\"Phase\"", "\"Confirmed\"", "\"Old-Leaves\"", "\"Age\"");
    }

    @Test
    void aDeclaredColumnTheGeneratorLeftOutIsAnError() {
        String generated = """
                spec:
                  versions:
                  - additionalPrinterColumns:
                    - jsonPath: ".status.phase"
                      name: "Phase"
                    name: "v1"
                """;
        assertThatThrownBy(() -> CrdRendering.inDeclaredOrder(generated, RootRotationResource.class))
                .hasMessageContaining("Confirmed");
    }
}
