package dev.signet.agent;

import java.util.List;
import java.util.Map;

/** Numbered sets of the agent's three files, for tests of how they are switched: set n holds "key n" and so on. */
final class CredentialSets {

    static final List<String> NAMES = List.of("key.pem", "cert-chain.pem", "root-cert.pem");

    private CredentialSets() {}

    static Map<String, VersionedDirectory.Content> set(int n) {
        return Map.of(
                "key.pem",
                new VersionedDirectory.Content("key " + n, true),
                "cert-chain.pem",
                new VersionedDirectory.Content("cert " + n, false),
                "root-cert.pem",
                new VersionedDirectory.Content("roots " + n, false));
    }
}
