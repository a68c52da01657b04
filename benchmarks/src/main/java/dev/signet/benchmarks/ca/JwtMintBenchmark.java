package dev.signet.benchmarks.ca;

import dev.signet.ca.CertificateAuthority;
import dev.signet.ca.authority.AuthorityMinter;
import dev.signet.ca.authority.MintedAuthority;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.issue.IssuancePolicy;
import dev.signet.ca.spiffe.SpiffeId;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One JWT-SVID as the CA mints it (checks, claims as JSON, ES256 with the authority's JWT key, the expiry ledger),
 * against the floor: the same token text built by hand and signed in-process with the fastest ECDSA P-256 there is
 * here (Conscrypt where it loads, else the JDK's), its DER signature taken as it comes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JwtMintBenchmark {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private CertificateAuthority ca;
    private PrivateKey floorKey;
    private Provider floorProvider;
    private final SpiffeId identity = SpiffeId.forServiceAccount("cluster.local", "shop", "checkout");
    private final List<String> audience = List.of("payments");

    @Setup
    public void setUp() throws Exception {
        CryptoProviders crypto = CryptoProviders.detect();
        SecureRandom random = new SecureRandom();
        MintedAuthority authority =
                new AuthorityMinter(crypto, Clock.systemUTC(), random).mint("cluster.local", KeyType.EC_P256);
        ca = CertificateAuthority.withSigner(
                "cluster.local", authority.signer(), crypto, IssuancePolicy.DEFAULT, Clock.systemUTC(), random);
        floorProvider = crypto.forSignature("SHA256withECDSA");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", crypto.forKeyGeneration("EC"));
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        floorKey = crypto.signingKey(keys.getPrivate());
    }

    @Benchmark
    public String ca() {
        return ca.signJwt(identity, audience).token();
    }

    @Benchmark
    public String inProcess() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String header = "{\"alg\":\"ES256\",\"kid\":\"0123456789abcdefghijklmnopqrstuvwxyzABCDEFG\",\"typ\":\"JWT\"}";
        String claims = "{\"sub\":\"" + identity.uri() + "\",\"aud\":[\"payments\"],\"exp\":" + (now + 300)
                + ",\"iat\":" + now + "}";
        String input = BASE64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + BASE64URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withECDSA", floorProvider);
        signature.initSign(floorKey);
        signature.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + BASE64URL.encodeToString(signature.sign());
    }
}
