package dev.signet.policy.load;

import java.io.StringReader;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;

/**
 * Finds YAML aliases ({@code *name}). The YAML binding does not expand them, so a policy written with one would be
 * read as something other than what its author meant; Signet refuses them instead, naming the line.
 */
final class YamlAliases {

    private YamlAliases() {}

    /** The 1-based line of the first alias in the document, if any. */
    static Optional<Integer> firstAliasLine(String document) {
        for (Event event : new Yaml(new LoaderOptions()).parse(new StringReader(document))) {
            if (event instanceof AliasEvent) {
                return Optional.of(event.getStartMark().getLine() + 1);
            }
        }
        return Optional.empty();
    }
}
