package dev.signet.controlplane.testing;

import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.ca.testing.Csrs;
import dev.signet.ca.testing.TestCa;
import dev.signet.controlplane.server.ServingCredentials;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;

/** A control plane's serving key and chain, issued by a test CA for the control plane's own identity. */
public record TestServing(KeyPair keys, List<X509Certificate> chain, X509Certificate root) {

    public static TestServing issuedBy(TestCa ca) {
        KeyPair keys = Csrs.ecP256();
        List<X509Certificate> chain = ca.ca()
                .sign(Csrs.der(keys), SpiffeId.forServiceAccount("cluster.local", "signet", "signet"), null)
                .chain();
        return new TestServing(keys, chain, ca.authority().root().certificate());
    }

    /** What the server presents, trusting the issuing CA's root for client certificates. */
    public ServingCredentials credentials() {
        return new ServingCredentials(keys.getPrivate(), chain, List.of(root));
    }
}
