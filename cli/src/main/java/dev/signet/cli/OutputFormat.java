package dev.signet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code -o text|json|yaml}, as every command that prints data takes it, and refused alike when unknown. */
public final class OutputFormat {

    @Option(
            names = {"-o", "--output"},
            defaultValue = "text",
            paramLabel = "FORMAT",
            scope = CommandLine.ScopeType.INHERIT,
            description = "text, json or yaml (default: ${DEFAULT-VALUE}).")
    String format;

    /** The format asked for, once known; an unknown one is refused naming those there are. */
    public String checked() {
        if (!format.equals("text") && !Structured.isStructured(format)) {
            throw Structured.unknown(format, "text, json or yaml");
        }
        return format;
    }

    public boolean structured() {
        return Structured.isStructured(format);
    }

    /** {@code -o json} or {@code -o yaml}: {@code tree} in that format. */
    public String render(com.fasterxml.jackson.databind.JsonNode tree) {
        return Structured.render(format, tree);
    }
}
