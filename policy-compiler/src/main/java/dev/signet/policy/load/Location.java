package dev.signet.policy.load;

/**
 * Where a resource was read: file, 1-based document number within it, and the document's first line. A resource read
 * from a cluster has no line (0), and is placed by its name alone.
 */
public record Location(String file, int document, int line) {
    @Override
    public String toString() {
        return line <= 0 ? file : file + ":" + line + " (document " + document + ")";
    }
}
