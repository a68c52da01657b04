package dev.signet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The data a command prints, as {@code -o json} or {@code -o yaml}: one tree is made, and each format writes that
 * same tree, so that both always say the same.
 */
public final class Structured {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private Structured() {}

    /** Whether {@code format} is one of the structured ones. */
    public static boolean isStructured(String format) {
        return format.equals("json") || format.equals("yaml");
    }

    /** {@code tree} in {@code format}: {@code json} or {@code yaml}. */
    public static String render(String format, JsonNode tree) {
        try {
            return format.equals("yaml")
                    ? YAML.writeValueAsString(tree).stripTrailing()
                    : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The refusal of an output format a command does not know, naming those it does. */
    public static IllegalArgumentException unknown(String format, String known) {
        return new IllegalArgumentException("unknown output format '" + format + "'; use " + known);
    }
}
