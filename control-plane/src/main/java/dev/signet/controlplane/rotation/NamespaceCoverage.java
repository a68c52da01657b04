package dev.signet.controlplane.rotation;

/** How many of the namespaces that must carry the trust bundle ({@code total}) carry the version asked about. */
public record NamespaceCoverage(int published, int total) {

    /** Where no namespace carries a bundle: on a machine of its own. */
    public static final NamespaceCoverage NONE = new NamespaceCoverage(0, 0);

    public NamespaceCoverage {
        if (published < 0 || total < 0) {
            throw new IllegalArgumentException("namespace counts cannot be negative");
        }
    }
}
