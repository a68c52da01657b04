package dev.signet.cli.inject;

/**
 * What an injected agent is told: its image, the control plane's address, and the audience of the projected token
 * it proves the workload with.
 */
public record InjectionSettings(String image, String controlPlane, String audience) {

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
