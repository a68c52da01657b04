package dev.signet.ca.authority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.ca.CaException;
import dev.signet.ca.CaException.Reason;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.crypto.Pem;
import dev.signet.ca.testing.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaDirectoryTest {

    private final CryptoProviders providers = CryptoProviders.detect();

    @TempDir
    Path dir;

    @Test
    void saves_and_loads_the_same_authority_with_private_keys_owner_only() throws Exception {
        MintedAuthority minted =
                TestCa.create(KeyType.EC_P384, Clock.systemUTC()).authority();
        CaDirectory directory = new CaDirectory(dir);
        directory.save(minted, false);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca-key.pem"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("root-key.pem"))))
                .isEqualTo("rw-------");
        assertThat(Pem.certificates(Files.readString(dir.resolve("cert-chain.pem"))))
                .containsExactly(minted.signer().certificate(), minted.signer().root());

        CaDirectory.Contents loaded = directory.load(providers);
        assertThat(loaded.signer().certificate()).isEqualTo(minted.signer().certificate());
        assertThat(loaded.signer().root()).isEqualTo(minted.signer().root());
        assertThat(loaded.signer().rootFingerprint()).isEqualTo(minted.signer().rootFingerprint());
        assertThat(loaded.signer().trustDomain()).contains("cluster.local");
        assertThat(loaded.rootKey()).isPresent();
        assertThat(((ECPrivateKey) loaded.rootKey().orElseThrow()).getS())
                .isEqualTo(((ECPrivateKey) minted.root().privateKey()).getS());
    }

    @Test
    void refuses_to_overwrite_an_existing_ca_unless_told_to() {
        CaDirectory directory = new CaDirectory(dir);
        directory.save(TestCa.create(KeyType.EC_P256, Clock.systemUTC()).authority(), false);
        MintedAuthority second =
                TestCa.create(KeyType.EC_P256, Clock.systemUTC()).authority();
        assertThatThrownBy(() -> directory.save(second, false)).hasMessageContaining("--force");
        directory.save(second, true);
        assertThat(directory.load(providers).signer().rootFingerprint())
                .isEqualTo(second.signer().rootFingerprint());
    }

    @Test
    void refuses_a_key_that_does_not_belong_to_the_signing_certificate() throws Exception {
        new CaDirectory(dir)
                .save(TestCa.create(KeyType.EC_P256, Clock.systemUTC()).authority(), false);
        MintedAuthority other =
                TestCa.create(KeyType.EC_P256, Clock.systemUTC()).authority();
        Files.writeString(
                dir.resolve("ca-key.pem"),
                Pem.encode(other.signer().certifiedKey().privateKey()));
        assertRefused("does not belong to the signing certificate");
    }

    @Test
    void refuses_a_chain_that_does_not_lead_to_the_root() throws Exception {
        new CaDirectory(dir)
                .save(TestCa.create(KeyType.EC_P256, Clock.systemUTC()).authority(), false);
        MintedAuthority other =
                TestCa.create(KeyType.EC_P256, Clock.systemUTC()).authority();
        Files.writeString(
                dir.resolve("root-cert.pem"), Pem.encode(other.signer().root()));
        assertRefused("the chain is broken");
    }

    @Test
    void refuses_a_leaf_posing_as_a_signing_certificate() throws Exception {
        TestCa ca = TestCa.create(KeyType.EC_P256, Clock.systemUTC());
        new CaDirectory(dir).save(ca.authority(), false);
        var keys = dev.signet.ca.testing.Csrs.ecP256();
        var leaf = ca.ca()
                .sign(
                        dev.signet.ca.testing.Csrs.der(keys),
                        dev.signet.ca.spiffe.SpiffeId.forServiceAccount("cluster.local", "a", "b"),
                        null);
        Files.writeString(dir.resolve("ca-cert.pem"), Pem.encode(leaf.leaf()));
        Files.writeString(dir.resolve("ca-key.pem"), Pem.encode(keys.getPrivate()));
        assertRefused("is not a CA certificate");
    }

    @Test
    void names_the_missing_file() {
        assertRefused("missing ca-cert.pem in " + dir);
    }

    private void assertRefused(String message) {
        assertThatThrownBy(() -> new CaDirectory(dir).load(providers))
                .isInstanceOfSatisfying(
                        CaException.class,
                        e -> assertThat(e.reason()).isIn(Reason.INVALID_AUTHORITY, Reason.MALFORMED_PEM))
                .hasMessageContaining(message);
    }
}
