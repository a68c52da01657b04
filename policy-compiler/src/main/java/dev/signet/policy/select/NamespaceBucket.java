package dev.signet.policy.select;

import dev.signet.policy.model.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One namespace's policies: those that select every workload, and those filed by label pair or by service name. */
final class NamespaceBucket<R extends Resource> {

    final List<Ordered<R>> selectingAll = new ArrayList<>();
    final Map<String, List<Ordered<R>>> byLabel = new HashMap<>();
    final Map<String, List<Ordered<R>>> byService = new HashMap<>();

    void addByLabel(String labelKey, Ordered<R> entry) {
        byLabel.computeIfAbsent(labelKey, k -> new ArrayList<>()).add(entry);
    }

    void addByService(String service, Ordered<R> entry) {
        byService.computeIfAbsent(service, k -> new ArrayList<>()).add(entry);
    }

    void sort() {
        selectingAll.sort(null);
        byLabel.values().forEach(list -> list.sort(null));
        byService.values().forEach(list -> list.sort(null));
    }
}
