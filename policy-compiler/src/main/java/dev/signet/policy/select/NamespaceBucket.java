package dev.signet.policy.select;

import dev.signet.policy.model.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One namespace's policies: all of them (to rebuild from), those that select every workload, and those filed by
 * label pair or by service name. Built once, then only read; a change builds a new bucket for its namespace.
 */
final class NamespaceBucket<R extends Resource> {

    final List<Ordered<R>> all;
    final List<Ordered<R>> selectingAll = new ArrayList<>();
    final Map<String, List<Ordered<R>>> byLabel = new HashMap<>();
    final Map<String, List<Ordered<R>>> byService = new HashMap<>();

    NamespaceBucket(List<Ordered<R>> all) {
        this.all = List.copyOf(all);
    }

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

    /** This namespace's policies with {@code replacement} in place of any policy of the same name (null: removed). */
    List<Ordered<R>> replacing(String key, Ordered<R> replacement) {
        List<Ordered<R>> next = new ArrayList<>(all.size() + 1);
        for (Ordered<R> entry : all) {
            if (!entry.key().equals(key)) {
                next.add(entry);
            }
        }
        if (replacement != null) {
            next.add(replacement);
        }
        return next;
    }
}
