package dev.signet.controlplane.inject;

/**
 * What an injected agent is told: its image, the control plane's address, and the audience of the projected token
 * it proves the workload with.
 */
public record InjectionSettings(String image, String controlPlane, String audience) {

    /** The repository of Signet's image; the build makes it tagged with the version (tools/image/build). */
    public static final String IMAGE = "ghcr.io/signet-mesh/signet";

    /** Signet's image of this version. */
    public static String defaultImage() {
        return IMAGE + ":" + dev.signet.controlplane.config.Version.current();
    }

    public InjectionSettings {
        require(image, "image");
        require(controlPlane, "control plane address");
        require(audience, "token audience");
    }

    private static void require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the " + what + " must not be empty");
        }
    }
}
