package dev.signet.policy.select;

import dev.signet.policy.model.Selector;
import java.util.Map;
import java.util.TreeMap;

/** The label pair a selector is filed under: its first in key order, as {@code key=value}. */
final class LabelKey {

    private LabelKey() {}

    static String of(String key, String value) {
        return key + "=" + value;
    }

    static String of(Selector selector) {
        Map.Entry<String, String> first = new TreeMap<>(selector.matchLabels()).firstEntry();
        return of(first.getKey(), first.getValue());
    }

    static boolean selectsAll(Selector selector) {
        return selector == null || selector.matchLabels().isEmpty();
    }
}
