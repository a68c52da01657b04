package dev.signet.agent;

import static dev.signet.agent.CredentialSets.NAMES;
import static dev.signet.agent.CredentialSets.set;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionedDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void each_name_reads_through_one_link_and_only_the_current_set_is_kept() throws Exception {
        VersionedDirectory files = new VersionedDirectory(dir, NAMES);
        files.publish(set(1));
        files.publish(set(2));

        assertThat(Files.readString(dir.resolve("key.pem"))).isEqualTo("key 2");
        assertThat(Files.readString(dir.resolve("cert-chain.pem"))).isEqualTo("cert 2");
        assertThat(Files.readSymbolicLink(dir.resolve("key.pem"))).isEqualTo(Path.of("..data", "key.pem"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("key.pem"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("root-cert.pem"))))
                .isEqualTo("rw-r--r--");
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("..")))
                    .as("..data and one set")
                    .hasSize(2);
        }
    }

    @Test
    void a_new_bundle_alone_leaves_the_key_and_certificate_as_they_were_so_watchers_reload_only_the_roots()
            throws Exception {
        VersionedDirectory files = new VersionedDirectory(dir, NAMES);
        files.publish(set(1));
        FileTime key = Files.getLastModifiedTime(dir.resolve("key.pem"));
        FileTime cert = Files.getLastModifiedTime(dir.resolve("cert-chain.pem"));
        FileTime roots = Files.getLastModifiedTime(dir.resolve("root-cert.pem"));

        files.publish(Map.of("root-cert.pem", new VersionedDirectory.Content("roots 2", false)));

        assertThat(Files.readString(dir.resolve("root-cert.pem"))).isEqualTo("roots 2");
        assertThat(Files.readString(dir.resolve("key.pem"))).isEqualTo("key 1");
        assertThat(Files.getLastModifiedTime(dir.resolve("key.pem"))).isEqualTo(key);
        assertThat(Files.getLastModifiedTime(dir.resolve("cert-chain.pem"))).isEqualTo(cert);
        assertThat(Files.getLastModifiedTime(dir.resolve("root-cert.pem")))
                .as("a later time even within the file system's clock tick")
                .isGreaterThan(roots);
    }

    @Test
    void plain_files_of_an_earlier_layout_become_links_without_changing_what_readers_see() throws Exception {
        for (String name : NAMES) {
            Files.writeString(dir.resolve(name), "old " + name);
        }
        FileTime key = Files.getLastModifiedTime(dir.resolve("key.pem"));

        new VersionedDirectory(dir, NAMES)
                .publish(Map.of("root-cert.pem", new VersionedDirectory.Content("new roots", false)));

        assertThat(Files.isSymbolicLink(dir.resolve("key.pem"))).isTrue();
        assertThat(Files.readString(dir.resolve("key.pem"))).isEqualTo("old key.pem");
        assertThat(Files.getLastModifiedTime(dir.resolve("key.pem"))).isEqualTo(key);
        assertThat(Files.readString(dir.resolve("root-cert.pem"))).isEqualTo("new roots");
    }

    /**
     * A reader that does what gRPC's file_watcher does (times of both files, both contents, times again; reload when
     * either time changed and neither moved during the read) never accepts a key and certificate of different sets.
     * Replacing the files one rename at a time fails this within a few hundred switches.
     */
    @Test
    void a_reader_polling_like_grpc_never_pairs_a_key_with_another_sets_certificate() throws Exception {
        VersionedDirectory files = new VersionedDirectory(dir, NAMES);
        files.publish(set(0));
        AtomicBoolean done = new AtomicBoolean();
        List<String> mismatches = new ArrayList<>();
        int[] reloads = {0};
        Thread reader = new Thread(() -> {
            FileTime lastCert = null;
            FileTime lastKey = null;
            while (!done.get()) {
                try {
                    FileTime cert = Files.getLastModifiedTime(dir.resolve("cert-chain.pem"));
                    FileTime key = Files.getLastModifiedTime(dir.resolve("key.pem"));
                    if (!cert.equals(lastCert) || !key.equals(lastKey)) {
                        String certText = Files.readString(dir.resolve("cert-chain.pem"));
                        String keyText = Files.readString(dir.resolve("key.pem"));
                        if (cert.equals(Files.getLastModifiedTime(dir.resolve("cert-chain.pem")))
                                && key.equals(Files.getLastModifiedTime(dir.resolve("key.pem")))) {
                            if (!certText.substring(5).equals(keyText.substring(4))) {
                                mismatches.add(keyText + " with " + certText);
                            }
                            lastCert = cert;
                            lastKey = key;
                            reloads[0]++;
                        }
                    }
                } catch (java.io.IOException e) {
                    // A file between two states (a link renamed meanwhile): the next poll sees it settled.
                }
            }
        });
        reader.start();
        for (int n = 1; n <= 1_500; n++) {
            files.publish(set(n));
        }
        done.set(true);
        reader.join();

        assertThat(mismatches).isEmpty();
        assertThat(reloads[0]).as("the reader did see sets change").isGreaterThan(10);
    }
}
