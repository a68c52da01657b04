package dev.signet.policy.load;

import java.util.List;

/** What a load produced: the valid resources, every diagnostic, and how many documents were not ours. */
public record LoadResult(List<LoadedResource> resources, List<Diagnostic> diagnostics, int skippedDocuments) {

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    public long errorCount() {
        return diagnostics.stream().filter(Diagnostic::isError).count();
    }
}
