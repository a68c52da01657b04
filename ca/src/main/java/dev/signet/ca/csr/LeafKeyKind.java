package dev.signet.ca.csr;

/** The kinds of workload key the CA certifies. */
public enum LeafKeyKind {
    EC_P256("ECDSA P-256", Family.EC),
    EC_P384("ECDSA P-384", Family.EC),
    RSA("RSA", Family.RSA),
    ED25519("Ed25519", Family.ED25519);

    /** Key families, each with its JCA key algorithm name. */
    public enum Family {
        EC("EC"),
        RSA("RSA"),
        ED25519("Ed25519");

        private final String jcaName;

        Family(String jcaName) {
            this.jcaName = jcaName;
        }

        public String jcaName() {
            return jcaName;
        }
    }

    private final String description;
    private final Family family;

    LeafKeyKind(String description, Family family) {
        this.description = description;
        this.family = family;
    }

    public Family family() {
        return family;
    }

    /** RSA keys may encrypt a TLS 1.2 key exchange, so their certificates also carry keyEncipherment. */
    public boolean usesKeyEncipherment() {
        return this == RSA;
    }

    public String description() {
        return description;
    }
}
