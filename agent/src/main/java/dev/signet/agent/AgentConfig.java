package dev.signet.agent;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code caAddress} is host:port of the control plane; {@code caRoot} the roots to trust it with; {@code tokenFile}
 * the workload's token (re-read for every request, since projected tokens rotate); {@code outputDirectory} where
 * the files go; {@code ttl} null for the CA's default.
 */
public record AgentConfig(
        String caAddress,
        Path caRoot,
        Path tokenFile,
        Path outputDirectory,
        Duration ttl,
        double renewAtFraction,
        double jitterFraction,
        Duration minBackoff,
        Duration maxBackoff) {

    public static AgentConfig of(String caAddress, Path caRoot, Path tokenFile, Path outputDirectory) {
        return new AgentConfig(
                caAddress,
                caRoot,
                tokenFile,
                outputDirectory,
                null,
                0.5,
                0.1,
                Duration.ofSeconds(1),
                Duration.ofMinutes(1));
    }

    public AgentConfig withTtl(Duration value) {
        return new AgentConfig(
                caAddress,
                caRoot,
                tokenFile,
                outputDirectory,
                value,
                renewAtFraction,
                jitterFraction,
                minBackoff,
                maxBackoff);
    }
}
