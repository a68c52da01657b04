package dev.signet.cli;

import picocli.CommandLine;

/** The version from the jar's manifest, or "development" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = SignetCommand.class.getPackage().getImplementationVersion();
        return new String[] {"signet " + (version == null ? "development" : version)};
    }
}
