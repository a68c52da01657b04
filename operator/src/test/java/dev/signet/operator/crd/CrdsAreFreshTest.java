package dev.signet.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRDs in {@code crds/} and {@code charts/signet/crds/} are what the Java types generate. After changing a type, regenerate them with
 * {@code ./mvnw -pl operator -am test -Dtest=CrdsAreFreshTest -Dsurefire.failIfNoSpecifiedTests=false -Dsignet.crds.update=true}.
 */
class CrdsAreFreshTest {

    /** The repository's CRDs, and the chart's copy that {@code helm install} applies. */
    static final List<Path> CRD_FOLDERS = List.of(Path.of("..", "crds"), Path.of("..", "charts", "signet", "crds"));

    /** Each resource's printer columns in the order kubectl is to show them (the generator sorts them by name). */
    private static final Map<String, Class<?>> COLUMNS = Map.of(
            "authorizationpolicies.security.signet.dev.yaml", AuthorizationPolicyResource.class,
            "peerauthentications.security.signet.dev.yaml", PeerAuthenticationResource.class,
            "rootrotations.security.signet.dev.yaml", RootRotationResource.class);

    /** Reorders the generated {@code additionalPrinterColumns} as the class declares its annotations. */
    static String inDeclaredOrder(String crd, Class<?> type) {
        String start = "  - additionalPrinterColumns:\n";
        int from = crd.indexOf(start);
        if (from < 0) {
            return crd;
        }
        from += start.length();
        int to = crd.indexOf("    name: \"v1\"", from);
        String[] items = crd.substring(from, to).split("(?m)^(?=    - )");
        Map<String, String> byName = new LinkedHashMap<>();
        for (String item : items) {
            Matcher name = Pattern.compile("(?m)^      name: \"([^\"]+)\"").matcher(item);
            assertThat(name.find())
                    .as("a printer column without a name: %s", item)
                    .isTrue();
            byName.put(name.group(1), item);
        }
        StringBuilder ordered = new StringBuilder();
        for (AdditionalPrinterColumn column : type.getAnnotationsByType(AdditionalPrinterColumn.class)) {
            ordered.append(byName.remove(column.name()));
        }
        byName.values().forEach(ordered::append);
        return crd.substring(0, from) + ordered + crd.substring(to);
    }

    @Test
    void checkedInCrdsMatchTheJavaTypes(@TempDir Path generated) throws IOException {
        new CRDGenerator()
                .customResourceClasses(
                        AuthorizationPolicyResource.class, PeerAuthenticationResource.class, RootRotationResource.class)
                .forCRDVersions("v1")
                .inOutputDir(generated.toFile())
                .generate();
        List<Path> files;
        try (Stream<Path> list = Files.list(generated)) {
            files = list.sorted().toList();
        }
        assertThat(files).hasSize(3);
        for (Path file : files) {
            String name = file.getFileName().toString().replace("-v1.yml", ".yaml");
            String fresh = inDeclaredOrder(Files.readString(file), COLUMNS.get(name));
            for (Path folder : CRD_FOLDERS) {
                Path checkedIn = folder.resolve(name);
                if (Boolean.getBoolean("signet.crds.update")) {
                    Files.writeString(checkedIn, fresh);
                }
                assertThat(checkedIn)
                        .as("%s is missing: regenerate it (see this test's Javadoc)", checkedIn)
                        .exists();
                assertThat(Files.readString(checkedIn))
                        .as("%s is stale: regenerate it (see this test's Javadoc)", checkedIn)
                        .isEqualTo(fresh);
            }
        }
    }
}
