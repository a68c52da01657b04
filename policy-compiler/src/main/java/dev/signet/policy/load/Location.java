package dev.signet.policy.load;

/** Where a resource was read: file, 1-based document number within it, and the document's first line. */
public record Location(String file, int document, int line) {
    @Override
    public String toString() {
        return file + ":" + line + " (document " + document + ")";
    }
}
