package dev.signet.policy.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a YAML stream at {@code ---} lines before parsing, so that a syntax error in one document is reported
 * and the next documents are still read.
 */
final class YamlDocuments {

    /** One document's text and the line (1-based) it starts on in its file. */
    record Document(String text, int firstLine) {
        boolean isBlank() {
            for (String line : text.split("\n", -1)) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#") && !trimmed.equals("...")) {
                    return false;
                }
            }
            return true;
        }
    }

    private YamlDocuments() {}

    static List<Document> split(String stream) {
        List<Document> documents = new ArrayList<>();
        String[] lines = stream.split("\n", -1);
        StringBuilder current = new StringBuilder();
        int firstLine = 1;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.equals("---") || line.startsWith("--- ") || line.startsWith("---\t") || line.equals("---\r")) {
                documents.add(new Document(current.toString(), firstLine));
                current.setLength(0);
                firstLine = i + 2;
                String rest = line.substring(3).strip();
                if (!rest.isEmpty() && !rest.startsWith("#")) {
                    current.append(rest).append('\n');
                    firstLine = i + 1;
                }
                continue;
            }
            current.append(line).append('\n');
        }
        documents.add(new Document(current.toString(), firstLine));
        return documents;
    }
}
