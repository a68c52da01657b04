package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * One protobuf, one gRPC and one common-protos across every module's runtime class path and the packaged
 * {@code signet serve} application. A module's tests run on its own class path: the Quarkus platform once brought a
 * common-protos built for protobuf 4 into the packaged application only, and every NACK killed its ADS stream there
 * while every module test passed.
 */
class PackagedClasspathsIT {

    private static final List<String> MODULES =
            List.of("ca", "policy-compiler", "api", "control-plane", "server", "agent", "cli");
    private static final Set<String> GROUPS = Set.of("com.google.protobuf", "io.grpc", "com.google.api.grpc");
    /** {@code group:artifact:jar[:classifier]:version:scope}, as the dependency plugin lists them. */
    private static final Pattern MODULE_LINE =
            Pattern.compile("^\\s*([\\w.-]+):([\\w.-]+):jar(?::[\\w.-]+)?:([\\w.-]+):(?:compile|runtime)\\b");
    /** {@code group:artifact:classifier:jar:version}, as Quarkus lists what it packaged. */
    private static final Pattern QUARKUS_LINE = Pattern.compile("^([\\w.-]+):([\\w.-]+):[\\w.-]*:jar:([\\w.-]+)$");

    @Test
    void every_module_and_the_packaged_application_resolve_one_version_of_each_protobuf_and_grpc_artifact()
            throws Exception {
        Map<String, Map<String, Set<String>>> versions = new TreeMap<>();
        for (String module : MODULES) {
            Path list = SignetProcess.home().resolve(module).resolve("target/runtime-dependencies.txt");
            assertThat(list).as("written by the build's package phase").exists();
            read(list, MODULE_LINE, module, versions);
        }
        Path quarkus = SignetProcess.home().resolve("server/target/quarkus-app/quarkus-app-dependencies.txt");
        assertThat(quarkus).exists();
        read(quarkus, QUARKUS_LINE, "signet serve (packaged)", versions);

        assertThat(versions)
                .as("protobuf, gRPC and common-protos are on the class paths")
                .containsKeys(
                        "com.google.protobuf:protobuf-java",
                        "io.grpc:grpc-api",
                        "com.google.api.grpc:proto-google-common-protos");
        versions.forEach((artifact, byVersion) -> assertThat(byVersion.keySet())
                .as(artifact + " by version, with where it is resolved: " + byVersion)
                .hasSize(1));
        for (String group : GROUPS) {
            if (group.equals("com.google.api.grpc")) {
                continue;
            }
            Set<String> all = new TreeSet<>();
            versions.forEach((artifact, byVersion) -> {
                if (artifact.startsWith(group + ":") && !artifact.endsWith(":protoc-gen-grpc-java")) {
                    all.addAll(byVersion.keySet());
                }
            });
            assertThat(all).as("every " + group + " artifact at one release").hasSize(1);
        }
    }

    private static void read(Path file, Pattern line, String where, Map<String, Map<String, Set<String>>> versions)
            throws Exception {
        for (String text : Files.readAllLines(file)) {
            Matcher m = line.matcher(text);
            if (m.find() && GROUPS.contains(m.group(1))) {
                versions.computeIfAbsent(m.group(1) + ":" + m.group(2), a -> new TreeMap<>())
                        .computeIfAbsent(m.group(3), v -> new TreeSet<>())
                        .add(where);
            }
        }
    }
}
