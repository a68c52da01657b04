package dev.signet.controlplane.config;

import java.util.Optional;

/**
 * One setting of {@link ServeSettings}, as the command line and the docs present it.
 *
 * @param key          the key under {@code signet.}, e.g. {@code rotation.settle}
 * @param option       the command-line option, e.g. {@code --rotation-settle}
 * @param defaultValue the declared default, if any (it may be an expression: see {@link #shownDefault})
 * @param shownDefault the default as a reader should see it
 * @param help         what it is for
 * @param label        the option's parameter, e.g. {@code DURATION}
 * @param flag         a yes/no setting, given as a bare option
 */
public record Setting(
        String key,
        String option,
        Optional<String> defaultValue,
        Optional<String> shownDefault,
        String help,
        String label,
        boolean flag) {

    /** The property that sets it, e.g. {@code signet.rotation.settle}. */
    public String property() {
        return Settings.PREFIX + key;
    }

    /** The environment variable that sets it, e.g. {@code SIGNET_ROTATION_SETTLE}. */
    public String environmentVariable() {
        return property().toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
