package dev.signet.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinitionBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRDs in {@code crds/} and the chart's CRD templates are what the Java types generate. This only checks;
 * {@code tools/crds} regenerates them.
 */
class CrdsAreFreshTest {

    private static final Path REPOSITORY = Path.of("..");

    @Test
    void checkedInCrdsMatchTheJavaTypes(@TempDir Path scratch) throws IOException {
        Map<Path, String> fresh = CrdRendering.render(scratch);
        for (Map.Entry<Path, String> crd : fresh.entrySet()) {
            Path checkedIn = REPOSITORY.resolve(crd.getKey());
            assertThat(checkedIn).as("%s is missing: run tools/crds", checkedIn).exists();
            assertThat(Files.readString(checkedIn))
                    .as("%s is stale: run tools/crds", checkedIn)
                    .isEqualTo(crd.getValue());
        }
        for (Path folder : List.of(CrdRendering.PLAIN, CrdRendering.CHART)) {
            try (Stream<Path> files = Files.list(REPOSITORY.resolve(folder))) {
                assertThat(files.filter(file -> file.toString().endsWith(".yaml"))
                                .map(file -> folder.resolve(file.getFileName())))
                        .as("CRDs no resource class generates")
                        .allMatch(fresh::containsKey);
            }
        }
    }

    @Test
    void everyKindIsDescribedListsConditionsByTypeAndCarriesTheLabels(@TempDir Path scratch) throws IOException {
        for (Map.Entry<Path, String> crd : CrdRendering.render(scratch).entrySet()) {
            if (crd.getKey().equals(AdmissionPolicyRendering.FILE)) {
                continue;
            }
            assertThat(crd.getValue())
                    .as(crd.getKey().toString())
                    .contains(
                            "x-kubernetes-list-type: \"map\"",
                            "app.kubernetes.io/part-of",
                            "categories:\n    - \"signet\"")
                    .containsPattern("openAPIV3Schema:\n {8}description: \"[A-Z]");
        }
    }

    @Test
    void printerColumnsFollowTheDeclaredOrder() {
        List<CustomResourceColumnDefinition> generated = Stream.of("Age", "Confirmed", "Old-Leaves", "Phase")
                .map(CrdsAreFreshTest::column)
                .toList();
        List<String> ordered = CrdConventions.inDeclaredOrder(
                        Stream.concat(
                                        generated.stream(),
                                        Stream.of("Rollback", "Ready", "Gate", "Bundle", "Reason", "Message")
                                                .map(CrdsAreFreshTest::column))
                                .toList(),
                        RootRotationResource.class)
                .stream()
                .map(CustomResourceColumnDefinition::getName)
                .toList();
        assertThat(ordered).containsSubsequence("Phase", "Confirmed", "Old-Leaves", "Age");
    }

    @Test
    void aDeclaredColumnTheGeneratorLeftOutIsAnError() {
        assertThatThrownBy(() -> CrdConventions.inDeclaredOrder(List.of(column("Phase")), RootRotationResource.class))
                .hasMessageContaining("was not generated");
    }

    @Test
    void theChartTemplateSwapsThePlainLabelsForTheReleasesAndKeepsTheCrd() {
        String plain = """
                apiVersion: "apiextensions.k8s.io/v1"
                kind: "CustomResourceDefinition"
                metadata:
                  labels:
                    app.kubernetes.io/name: "signet"
                  name: "rootrotations.security.signet.dev"
                spec:
                  group: "security.signet.dev"
                """;
        String template = CrdRendering.chartTemplate("rootrotations.security.signet.dev", plain);
        assertThat(template)
                .startsWith("{{- if .Values.crds.enabled }}\n")
                .endsWith("{{- end }}\n")
                .contains("include \"signet.labels\"", "helm.sh/resource-policy: keep", "spec:\n  group:")
                .doesNotContain("app.kubernetes.io/name: \"signet\"");
    }

    private static CustomResourceColumnDefinition column(String name) {
        return new CustomResourceColumnDefinitionBuilder()
                .withName(name)
                .withJsonPath(".x")
                .build();
    }
}
