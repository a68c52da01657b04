package dev.signet.controlplane.state;

import dev.signet.ca.authority.CaDirectory;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.controlplane.Platform;
import dev.signet.controlplane.identity.LocalTokenAuthenticator;
import dev.signet.controlplane.identity.LocalTokenIssuer;
import dev.signet.controlplane.identity.TokenAuthenticator;
import dev.signet.controlplane.rotation.RotationStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;

/**
 * No cluster: the CA and a token-signing key in the state directory, tokens issued by {@code signet token} and checked
 * locally, and {@code root-cert.pem} written beside them.
 */
public final class LocalPlatform implements Platform {

    private final StateDirectory state;
    private final String audience;
    private LocalTokenIssuer issuer;

    public LocalPlatform(StateDirectory state, String audience) {
        this.state = state;
        this.audience = audience;
    }

    @Override
    public CaDirectory.Contents loadOrCreateCa(String trustDomain, CryptoProviders providers, Clock clock,
                                               SecureRandom random) throws IOException {
        return state.loadOrCreateCa(trustDomain, providers, clock, random);
    }

    @Override
    public synchronized TokenAuthenticator authenticator(CryptoProviders providers, Clock clock, SecureRandom random)
            throws IOException {
        KeyPair tokenKey = state.loadOrCreateTokenKey(providers, random);
        issuer = new LocalTokenIssuer(tokenKey, clock);
        return new LocalTokenAuthenticator((ECPublicKey) tokenKey.getPublic(), audience, clock,
                providers.forSignature("SHA256withECDSA"));
    }

    @Override
    public void publishTrustBundle(TrustBundle bundle) throws IOException {
        state.writeTrustBundle(bundle);
    }

    @Override
    public Optional<RotationStore> rotationStore(Clock clock) {
        return Optional.of(new FileRotationStore(state, clock));
    }

    @Override
    public Optional<Path> inventoryJournal() {
        return Optional.of(state.path().resolve("inventory.log"));
    }

    /** The issuer of the tokens this platform accepts; available once {@link #authenticator} ran. */
    public synchronized LocalTokenIssuer tokenIssuer() {
        if (issuer == null) {
            throw new IllegalStateException("the token key is not loaded yet");
        }
        return issuer;
    }
}
