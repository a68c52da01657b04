package dev.signet.benchmarks.plane;

import dev.signet.ca.crypto.Pem;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** P-256 keys and PEM CSRs over them, as an agent makes them. */
final class BenchCsrs {

    private BenchCsrs() {}

    /** A fresh key and a CSR (PEM) over it. */
    static String fresh() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=bench"), keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                    .getEncoded();
            return Pem.encode("CERTIFICATE REQUEST", der);
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot make a CSR", e);
        }
    }

    static List<String> many(int count) {
        List<String> csrs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            csrs.add(fresh());
        }
        return csrs;
    }
}
