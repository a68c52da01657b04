package dev.signet.controlplane.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.ca.authority.AuthorityMinter;
import dev.signet.ca.authority.CaMaterial;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A promotion killed at each of its file operations, in a process of its own, then the state directory started again
 * as {@code signet serve} starts it: it must load whole, with the root the rotation ended on (never a half-deleted CA,
 * "a CA already exists here", or a freshly minted root), and the repeated clean-up must leave nothing behind.
 */
class PromotionCrashIT {

    private static final CryptoProviders PROVIDERS = CryptoProviders.detect();
    private static final String TRUST_DOMAIN = "cluster.local";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "promote={0}, archive={1}")
    @CsvSource({"true,false", "true,true", "false,false", "false,true"})
    void a_promotion_killed_before_any_of_its_file_operations_comes_back_whole(boolean promote, boolean archive)
            throws Exception {
        List<String> stoppedBefore = new ArrayList<>();
        for (int stopAt = 1; ; stopAt++) {
            Path state = dir.resolve("state-" + stopAt);
            String[] roots = prepare(state);
            Process process = new ProcessBuilder(javaCommand(state, stopAt, promote, archive))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            boolean killed = process.exitValue() == PromotionCrash.KILLED;
            assertThat(killed || process.exitValue() == 0).as(output).isTrue();

            // The next start: recovery, the CA, and the controller's repeat of a completed rotation's clean-up.
            StateDirectory restarted = new StateDirectory(state);
            String loaded = root(restarted);
            assertThat(loaded)
                    .as("a whole CA, never a new one, after " + output.strip())
                    .isIn(roots[0], roots[1]);
            FileRotationStore store = new FileRotationStore(restarted, Clock.systemUTC());
            if (store.candidate().isPresent()) {
                store.finish(promote, archive);
            }
            assertThat(root(restarted)).as("the root after " + output.strip()).isEqualTo(promote ? roots[1] : roots[0]);
            assertThat(state.resolve("rotation/next")).doesNotExist();
            assertThat(leftovers(state.resolve("rotation")))
                    .as("after " + output.strip())
                    .isEmpty();
            assertThat(archived(state))
                    .as("the retired CA is kept whole when asked, and only then")
                    .hasSize(archive ? 1 : 0)
                    .allSatisfy(files -> assertThat(files).contains("ca-key.pem", "root-cert.pem"));
            if (!killed) {
                break;
            }
            stoppedBefore.add(output.strip());
        }
        assertThat(stoppedBefore)
                .as("every operation was a point of death")
                .isNotEmpty()
                .allMatch(line -> line.startsWith("killed before: "));
    }

    private static String root(StateDirectory state) throws IOException {
        return state.loadOrCreateCa(TRUST_DOMAIN, PROVIDERS, Clock.systemUTC(), new SecureRandom())
                .signer()
                .rootFingerprint();
    }

    /** A state directory with the CA in use (root R1) and a rotation's candidate (root R2): their fingerprints. */
    private static String[] prepare(Path state) throws IOException {
        StateDirectory directory = new StateDirectory(state);
        String r1 = directory
                .loadOrCreateCa(TRUST_DOMAIN, PROVIDERS, Clock.systemUTC(), new SecureRandom())
                .signer()
                .rootFingerprint();
        CaMaterial next = CaMaterial.of(
                new AuthorityMinter(PROVIDERS, Clock.systemUTC(), new SecureRandom())
                        .mint(TRUST_DOMAIN, KeyType.EC_P256),
                "next");
        new FileRotationStore(directory, Clock.systemUTC()).saveCandidate(next);
        return new String[] {r1, next.load(PROVIDERS).signer().rootFingerprint()};
    }

    private static List<String> javaCommand(Path state, int stopAt, boolean promote, boolean archive) {
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                PromotionCrash.class.getName(),
                state.toString(),
                Integer.toString(stopAt),
                Boolean.toString(promote),
                Boolean.toString(archive));
    }

    /** What is under rotation/ besides the record and the archive. */
    private static List<String> leftovers(Path rotation) throws IOException {
        if (!Files.exists(rotation)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(rotation)) {
            return children.map(p -> p.getFileName().toString())
                    .filter(name -> !name.equals("archive"))
                    .toList();
        }
    }

    /** The file names of each archived CA. */
    private static List<List<String>> archived(Path state) throws IOException {
        Path archive = state.resolve("rotation/archive");
        if (!Files.exists(archive)) {
            return List.of();
        }
        List<List<String>> all = new ArrayList<>();
        try (Stream<Path> children = Files.list(archive)) {
            for (Path child : children.toList()) {
                try (Stream<Path> files = Files.list(child)) {
                    all.add(files.map(p -> p.getFileName().toString()).toList());
                }
            }
        }
        return all;
    }
}
