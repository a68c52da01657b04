package dev.signet.policy.model;

import java.util.List;
import java.util.Map;

/** Absent collections read as empty, so that no caller has to tell null from empty. */
final class Lists {
    private Lists() {}

    static <T> List<T> of(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    static <K, V> Map<K, V> of(Map<K, V> map) {
        return map == null ? Map.of() : Map.copyOf(map);
    }
}
