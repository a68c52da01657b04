package dev.signet.policy.select;

import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.model.AuthorizationPolicySpec;
import dev.signet.policy.model.TargetRef;
import dev.signet.policy.model.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * AuthorizationPolicies filed by namespace, then by the one label pair each selector is filed under (or the
 * Service it targets). Selecting for a workload looks only at the root namespace's and its own namespace's
 * buckets, under its own labels: the cost follows the policies that could apply, not the mesh's size.
 */
public final class AuthorizationPolicyIndex {

    private final String rootNamespace;
    private final Map<String, NamespaceBucket<AuthorizationPolicy>> buckets;

    public AuthorizationPolicyIndex(String rootNamespace, List<Ordered<AuthorizationPolicy>> policies) {
        this.rootNamespace = rootNamespace;
        Map<String, List<Ordered<AuthorizationPolicy>>> byNamespace = new HashMap<>();
        for (Ordered<AuthorizationPolicy> entry : policies) {
            byNamespace
                    .computeIfAbsent(entry.resource().metadata().namespaceOrDefault(), ns -> new ArrayList<>())
                    .add(entry);
        }
        this.buckets = new HashMap<>();
        byNamespace.forEach((namespace, entries) -> buckets.put(namespace, bucket(entries)));
    }

    private AuthorizationPolicyIndex(String rootNamespace, Map<String, NamespaceBucket<AuthorizationPolicy>> buckets) {
        this.rootNamespace = rootNamespace;
        this.buckets = buckets;
    }

    /**
     * This index with one policy added, replaced ({@code entry} of an existing name) or removed ({@code entry} null,
     * {@code namespace}/{@code key} naming it): only that namespace's bucket is rebuilt, the others are shared.
     */
    public AuthorizationPolicyIndex with(String namespace, String key, Ordered<AuthorizationPolicy> entry) {
        NamespaceBucket<AuthorizationPolicy> current = buckets.get(namespace);
        List<Ordered<AuthorizationPolicy>> entries =
                current == null ? (entry == null ? List.of() : List.of(entry)) : current.replacing(key, entry);
        Map<String, NamespaceBucket<AuthorizationPolicy>> next = new HashMap<>(buckets);
        if (entries.isEmpty()) {
            next.remove(namespace);
        } else {
            next.put(namespace, bucket(entries));
        }
        return new AuthorizationPolicyIndex(rootNamespace, next);
    }

    /** The policy {@code key} in {@code namespace}, or null. */
    public AuthorizationPolicy find(String namespace, String key) {
        NamespaceBucket<AuthorizationPolicy> bucket = buckets.get(namespace);
        if (bucket == null) {
            return null;
        }
        return bucket.all.stream()
                .filter(entry -> entry.key().equals(key))
                .map(Ordered::resource)
                .findFirst()
                .orElse(null);
    }

    /** Every indexed policy, oldest first. */
    public List<Ordered<AuthorizationPolicy>> all() {
        List<Ordered<AuthorizationPolicy>> all = new ArrayList<>();
        buckets.values().forEach(bucket -> all.addAll(bucket.all));
        all.sort(null);
        return all;
    }

    private static NamespaceBucket<AuthorizationPolicy> bucket(List<Ordered<AuthorizationPolicy>> entries) {
        NamespaceBucket<AuthorizationPolicy> bucket = new NamespaceBucket<>(entries);
        for (Ordered<AuthorizationPolicy> entry : entries) {
            AuthorizationPolicySpec spec = entry.resource().specOrEmpty();
            List<TargetRef> refs = spec.allTargetRefs();
            if (!refs.isEmpty()) {
                refs.stream()
                        .filter(ref -> "Service".equals(ref.kind()) && ref.name() != null)
                        .forEach(ref -> bucket.addByService(ref.name(), entry));
            } else if (LabelKey.selectsAll(spec.selector())) {
                bucket.selectingAll.add(entry);
            } else {
                bucket.addByLabel(LabelKey.of(spec.selector()), entry);
            }
        }
        bucket.sort();
        return bucket;
    }

    /** The policies that apply to {@code workload}, oldest first. */
    public List<Ordered<AuthorizationPolicy>> select(Workload workload) {
        String namespace = workload.metadata().namespaceOrDefault();
        List<Ordered<AuthorizationPolicy>> selected = new ArrayList<>();
        collect(buckets.get(rootNamespace), workload, false, selected);
        if (!namespace.equals(rootNamespace)) {
            collect(buckets.get(namespace), workload, true, selected);
        } else {
            collectServiceTargets(buckets.get(namespace), workload, selected);
        }
        selected.sort(null);
        return selected;
    }

    private static void collect(
            NamespaceBucket<AuthorizationPolicy> bucket,
            Workload workload,
            boolean ownNamespace,
            List<Ordered<AuthorizationPolicy>> out) {
        if (bucket == null) {
            return;
        }
        out.addAll(bucket.selectingAll);
        for (Map.Entry<String, String> label : workload.metadata().labels().entrySet()) {
            List<Ordered<AuthorizationPolicy>> filed =
                    bucket.byLabel.get(LabelKey.of(label.getKey(), label.getValue()));
            if (filed == null) {
                continue;
            }
            for (Ordered<AuthorizationPolicy> entry : filed) {
                if (entry.resource()
                        .spec()
                        .selector()
                        .matches(workload.metadata().labels())) {
                    out.add(entry);
                }
            }
        }
        if (ownNamespace) {
            collectServiceTargets(bucket, workload, out);
        }
    }

    private static void collectServiceTargets(
            NamespaceBucket<AuthorizationPolicy> bucket, Workload workload, List<Ordered<AuthorizationPolicy>> out) {
        if (bucket != null) {
            List<Ordered<AuthorizationPolicy>> targeted =
                    bucket.byService.get(workload.metadata().name());
            if (targeted != null) {
                targeted.stream().filter(entry -> !out.contains(entry)).forEach(out::add);
            }
        }
    }
}
