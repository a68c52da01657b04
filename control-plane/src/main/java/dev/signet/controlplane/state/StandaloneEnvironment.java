package dev.signet.controlplane.state;

import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.controlplane.ControlPlaneConfig;
import dev.signet.controlplane.environment.BundleCoverage;
import dev.signet.controlplane.environment.Environment;
import dev.signet.controlplane.environment.Leadership;
import dev.signet.controlplane.environment.MeshSource;
import dev.signet.controlplane.environment.PeerReplicas;
import dev.signet.controlplane.identity.LocalTokenAuthenticator;
import dev.signet.controlplane.identity.LocalTokenIssuer;
import dev.signet.controlplane.standalone.FolderSource;
import java.io.IOException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.Optional;

/**
 * No cluster: the CA and a token-signing key in the state directory, tokens issued by {@code signet token} and
 * checked locally, {@code root-cert.pem} and the rotation's record written beside them, policies and workloads from
 * the folder given with {@code --standalone}; this process alone leads.
 */
public final class StandaloneEnvironment {

    private StandaloneEnvironment() {}

    public static Environment create(
            ControlPlaneConfig config, CryptoProviders providers, Clock clock, SecureRandom random) throws IOException {
        StateDirectory state = new StateDirectory(config.stateDirectory());
        KeyPair tokenKey = state.loadOrCreateTokenKey(providers, random);
        MeshSource mesh = config.standaloneDirectory()
                .<MeshSource>map(folder -> new FolderSource(folder, config.rootNamespace(), config.pollInterval()))
                .orElse(MeshSource.NONE);
        return new Environment(
                state::loadOrCreateCa,
                audience -> new LocalTokenAuthenticator(
                        (ECPublicKey) tokenKey.getPublic(), audience, clock, providers.forSignature("SHA256withECDSA")),
                Optional.of(new LocalTokenIssuer(tokenKey, clock)),
                mesh,
                state::writeTrustBundle,
                new FileRotationStore(state, clock),
                Leadership.ALONE,
                BundleCoverage.NONE,
                PeerReplicas.NONE);
    }
}
