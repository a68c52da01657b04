package dev.signet.policy.load;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * YAML read strictly: no duplicate keys, no aliases (an alias makes one policy's value silently another's), no
 * unknown properties when binding. A document that cannot be read becomes a diagnostic at the line the parser
 * points to, counted from the top of the file.
 */
final class StrictYaml {

    private final ObjectMapper yaml;

    StrictYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        options.setAllowDuplicateKeys(false);
        this.yaml = YAMLMapper.builder(
                        YAMLFactory.builder().loaderOptions(options).build())
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    /**
     * The tree of document {@code number} of {@code fileName}, or empty with the reason added to {@code diagnostics}
     * (an empty document reads as a null or missing node, not as an error).
     */
    Optional<JsonNode> read(
            YamlDocuments.Document document, String fileName, int number, List<Diagnostic> diagnostics) {
        try {
            // An alias needs an anchor ('&name') in the same document: without any '&', there is none to find.
            Optional<Integer> alias =
                    document.text().indexOf('&') < 0 ? Optional.empty() : YamlAliases.firstAliasLine(document.text());
            if (alias.isPresent()) {
                diagnostics.add(error(
                        fileName,
                        number,
                        document.firstLine() + alias.get() - 1,
                        "not valid YAML for Signet: YAML aliases (*name) are not supported; write the value out"));
                return Optional.empty();
            }
            return Optional.ofNullable(yaml.readTree(document.text()));
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null
                    ? document.firstLine()
                    : document.firstLine() + e.getLocation().getLineNr() - 1;
            diagnostics.add(error(fileName, number, line, "not valid YAML: " + e.getOriginalMessage()));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null
                    ? document.firstLine()
                    : document.firstLine() + e.getProblemMark().getLine();
            diagnostics.add(error(fileName, number, line, "not valid YAML: " + e.getProblem()));
        } catch (RuntimeException e) {
            // SnakeYAML reports some limits (nesting, size) as other unchecked exceptions.
            diagnostics.add(error(fileName, number, document.firstLine(), "not valid YAML: " + e.getMessage()));
        }
        return Optional.empty();
    }

    /** {@code node} as a {@code type}, refusing properties the type does not have. */
    <T> T bind(JsonNode node, Class<T> type) throws JsonProcessingException {
        return yaml.treeToValue(node, type);
    }

    private static Diagnostic error(String fileName, int number, int line, String message) {
        return new Diagnostic(Diagnostic.Severity.ERROR, new Location(fileName, number, line), null, null, message);
    }
}
