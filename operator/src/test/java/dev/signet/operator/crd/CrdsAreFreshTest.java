package dev.signet.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    @Test
    void checkedInCrdsMatchTheJavaTypes(@TempDir Path generated) throws IOException {
        new CRDGenerator()
                .customResourceClasses(AuthorizationPolicyResource.class, PeerAuthenticationResource.class)
                .forCRDVersions("v1")
                .inOutputDir(generated.toFile())
                .generate();
        List<Path> files;
        try (Stream<Path> list = Files.list(generated)) {
            files = list.sorted().toList();
        }
        assertThat(files).hasSize(2);
        for (Path file : files) {
            String name = file.getFileName().toString().replace("-v1.yml", ".yaml");
            String fresh = Files.readString(file);
            for (Path folder : CRD_FOLDERS) {
                Path checkedIn = folder.resolve(name);
                if (Boolean.getBoolean("signet.crds.update")) {
                    Files.writeString(checkedIn, fresh);
                }
                assertThat(checkedIn).as("%s is missing: regenerate it (see this test's Javadoc)", checkedIn).exists();
                assertThat(Files.readString(checkedIn))
                        .as("%s is stale: regenerate it (see this test's Javadoc)", checkedIn)
                        .isEqualTo(fresh);
            }
        }
    }
}
