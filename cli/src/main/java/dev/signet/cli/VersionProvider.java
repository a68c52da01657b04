package dev.signet.cli;

import dev.signet.controlplane.config.Version;
import picocli.CommandLine;

/** The version the build wrote, shared with {@code signet serve --version}. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"signet " + Version.current() + " (commit " + Version.commit() + ")"};
    }
}
