package dev.signet.agent;

import static dev.signet.agent.CredentialSets.NAMES;
import static dev.signet.agent.CredentialSets.set;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.ca.testing.OtherUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's key files against a real second local user, reading for eight seconds while sets are switched. */
class KeyPrivacyIT {

    @TempDir
    Path dir;

    @Test
    void another_local_user_never_opens_the_key_while_sets_are_switched() throws Exception {
        Assumptions.assumeTrue(OtherUser.available(), "needs root and setpriv to act as another user");
        // Everything up to the agent's folder is open to other users, as a pod's shared volume may be: only the
        // modes the agent sets stand between the key and them.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path out = dir.resolve("certs");
        Files.createDirectories(out);
        Path peek = dir.resolve("KeyPeek.java");
        try (var source = getClass().getResourceAsStream("/KeyPeek.java")) {
            Files.copy(source, peek);
        }
        Files.setPosixFilePermissions(peek, PosixFilePermissions.fromString("rw-r--r--"));
        Path log = dir.resolve("peek.log");
        Process reader = OtherUser.start(
                log,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                peek.toString(),
                out.toString());
        VersionedDirectory files = new VersionedDirectory(out, NAMES);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(8);
        int switches = 0;
        while (System.nanoTime() < deadline) {
            files.publish(set(switches++));
        }
        Files.createFile(out.resolve("stop"));
        assertThat(reader.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String result = Files.readString(log).strip();
        assertThat(result).as("the reader ran as another user throughout").matches("polls=[1-9][0-9]* opened=[0-9]+");
        assertThat(result).as(switches + " switches").endsWith(" opened=0");
    }
}
