package dev.signet.benchmarks.ca;

import dev.signet.ca.CertificateAuthority;
import dev.signet.ca.authority.AuthorityMinter;
import dev.signet.ca.authority.MintedAuthority;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.issue.IssuancePolicy;
import dev.signet.ca.spiffe.SpiffeId;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One whole issuance, as the CA service will do it per request: parse and verify the CSR (P-256), build the
 * X509-SVID, sign it (P-256 intermediate), encode it, record it in the inventory.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CaIssueBenchmark {

    /** {@code detected}: Conscrypt where it loads (the production path); {@code bouncycastle}: the portable path. */
    @Param({"detected", "bouncycastle"})
    public String providers;

    private CertificateAuthority ca;
    private byte[] csr;
    private final SpiffeId identity = SpiffeId.forServiceAccount("cluster.local", "shop", "checkout");

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        CryptoProviders crypto =
                providers.equals("detected") ? CryptoProviders.detect() : CryptoProviders.bouncyCastleOnly();
        SecureRandom random = new SecureRandom();
        MintedAuthority authority =
                new AuthorityMinter(crypto, Clock.systemUTC(), random).mint("cluster.local", KeyType.EC_P256);
        ca = CertificateAuthority.withSigner(
                "cluster.local", authority.signer(), crypto, IssuancePolicy.DEFAULT, Clock.systemUTC(), random);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair workload = generator.generateKeyPair();
        csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=workload"), workload.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(workload.getPrivate()))
                .getEncoded();
    }

    @Setup(Level.Iteration)
    public void forgetIssued() {
        // The inventory would otherwise grow without bound across iterations; the control plane prunes it likewise.
        ca.forgetExpired(java.time.Instant.MAX);
    }

    @Benchmark
    public byte[] issue() {
        return ca.sign(csr, identity, null).leafDer();
    }
}
