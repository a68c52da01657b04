package dev.signet.controlplane.rotation;

import dev.signet.ca.authority.AuthorityMinter;
import dev.signet.ca.authority.CaDirectory;
import dev.signet.ca.authority.CaMaterial;
import dev.signet.ca.authority.CertifiedKey;
import dev.signet.ca.authority.MintedAuthority;
import dev.signet.ca.authority.SigningAuthority;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;

/**
 * Replaces the issuing (intermediate) CA under the unchanged root. Leaves of the old intermediate still chain to the
 * same root, so the bundle stays as it is, no phase is needed and nothing is renewed early: new leaves simply come
 * from the new intermediate. Stored the way a root rotation promotes its CA, so a crash leaves one or the other.
 */
final class IssuerRotation {

    private final String trustDomain;
    private final RotationStore store;
    private final CryptoProviders providers;
    private final AuthorityMinter minter;

    IssuerRotation(String trustDomain, RotationStore store, CryptoProviders providers, AuthorityMinter minter) {
        this.trustDomain = trustDomain;
        this.store = store;
        this.providers = providers;
        this.minter = minter;
    }

    /**
     * Mints a new issuer under {@code current}'s root and stores it as the CA; returns it. Refused without the root's
     * key (a plug-in CA whose root signs elsewhere) and for a validity that is not positive.
     */
    CaDirectory.Contents replaceIssuerOf(CaDirectory.Contents current, KeyType keyType, Duration validity) {
        if (validity.isNegative() || validity.isZero()) {
            throw new RotationRefused("the new issuer's validity must be positive, not " + validity);
        }
        PrivateKey rootKey = current.rootKey()
                .orElseThrow(
                        () -> new RotationRefused(
                                "the root's key is not here (a plug-in CA without "
                                        + "root-key.pem): sign a new intermediate where the root's key is kept and install it as the CA"));
        CertifiedKey root = new CertifiedKey(current.signer().root(), rootKey);
        CertifiedKey issuer = minter.newIntermediate(root, trustDomain, keyType, validity);
        CaMaterial material = CaMaterial.of(
                new MintedAuthority(root, SigningAuthority.of(issuer, List.of(), root.certificate(), providers)),
                "issuer rotation");
        CaDirectory.Contents next = material.load(providers);
        try {
            store.saveCandidate(material);
            store.finish(true, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the new issuer; the old one stays in use", e);
        }
        return next;
    }
}
