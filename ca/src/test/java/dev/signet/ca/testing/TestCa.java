package dev.signet.ca.testing;

import dev.signet.ca.CertificateAuthority;
import dev.signet.ca.authority.AuthorityMinter;
import dev.signet.ca.authority.MintedAuthority;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.issue.IssuancePolicy;
import java.security.SecureRandom;
import java.time.Clock;

/** A CA for tests: one minted authority and the facade over it, sharing one clock. */
public record TestCa(MintedAuthority authority, CertificateAuthority ca, CryptoProviders providers, Clock clock) {

    public static final String TRUST_DOMAIN = "cluster.local";

    public static TestCa create(KeyType keyType, Clock clock) {
        return create(keyType, clock, IssuancePolicy.DEFAULT);
    }

    public static TestCa create(KeyType keyType, Clock clock, IssuancePolicy policy) {
        CryptoProviders providers = CryptoProviders.detect();
        SecureRandom random = new SecureRandom();
        MintedAuthority authority = new AuthorityMinter(providers, clock, random).mint(TRUST_DOMAIN, keyType);
        CertificateAuthority ca =
                CertificateAuthority.withSigner(TRUST_DOMAIN, authority.signer(), providers, policy, clock, random);
        return new TestCa(authority, ca, providers, clock);
    }
}
