package dev.signet.policy.load;

import java.util.List;

/**
 * What a load produced: the valid resources, every diagnostic, how many documents were not ours, and the fail-closed
 * stand-ins of the policies that are not valid ({@link dev.signet.policy.validate.FailClosed}), for whoever has to
 * decide with them in force rather than leave them out.
 */
public record LoadResult(
        List<LoadedResource> resources,
        List<Diagnostic> diagnostics,
        int skippedDocuments,
        List<LoadedResource> failClosed) {

    public LoadResult {
        resources = List.copyOf(resources);
        diagnostics = List.copyOf(diagnostics);
        failClosed = List.copyOf(failClosed);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    public long errorCount() {
        return diagnostics.stream().filter(Diagnostic::isError).count();
    }

    /** The valid resources and, in place of each invalid policy, its stand-in. */
    public List<LoadedResource> failingClosed() {
        List<LoadedResource> all = new java.util.ArrayList<>(resources);
        all.addAll(failClosed);
        return all;
    }
}
