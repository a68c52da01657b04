package dev.signet.policy.check;

import dev.signet.policy.load.Diagnostic;
import dev.signet.policy.load.LoadResult;
import java.util.List;

/** What {@code signet check} found: every diagnostic (load, validation, compilation notes) and the counts. */
public record CheckReport(List<Diagnostic> diagnostics, int resources, int workloads, int skippedDocuments) {

    public long errors() {
        return diagnostics.stream().filter(Diagnostic::isError).count();
    }

    public long warnings() {
        return diagnostics.stream().filter(Diagnostic::isWarning).count();
    }

    public boolean ok() {
        return errors() == 0;
    }

    static CheckReport of(LoadResult load, List<Diagnostic> compileNotes, int workloads) {
        List<Diagnostic> all = new java.util.ArrayList<>(load.diagnostics());
        all.addAll(compileNotes);
        return new CheckReport(List.copyOf(all), load.resources().size(), workloads, load.skippedDocuments());
    }
}
