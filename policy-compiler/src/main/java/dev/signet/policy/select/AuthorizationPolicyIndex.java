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
    private final Map<String, NamespaceBucket<AuthorizationPolicy>> buckets = new HashMap<>();

    public AuthorizationPolicyIndex(String rootNamespace, List<Ordered<AuthorizationPolicy>> policies) {
        this.rootNamespace = rootNamespace;
        for (Ordered<AuthorizationPolicy> entry : policies) {
            AuthorizationPolicy policy = entry.resource();
            AuthorizationPolicySpec spec = policy.spec() == null ? AuthorizationPolicySpec.empty() : policy.spec();
            NamespaceBucket<AuthorizationPolicy> bucket =
                    buckets.computeIfAbsent(policy.metadata().namespaceOrDefault(), ns -> new NamespaceBucket<>());
            List<TargetRef> refs = spec.allTargetRefs();
            if (!refs.isEmpty()) {
                refs.stream().filter(ref -> "Service".equals(ref.kind()) && ref.name() != null)
                        .forEach(ref -> bucket.addByService(ref.name(), entry));
            } else if (LabelKey.selectsAll(spec.selector())) {
                bucket.selectingAll.add(entry);
            } else {
                bucket.addByLabel(LabelKey.of(spec.selector()), entry);
            }
        }
        buckets.values().forEach(NamespaceBucket::sort);
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

    private static void collect(NamespaceBucket<AuthorizationPolicy> bucket, Workload workload, boolean ownNamespace,
                                List<Ordered<AuthorizationPolicy>> out) {
        if (bucket == null) {
            return;
        }
        out.addAll(bucket.selectingAll);
        for (Map.Entry<String, String> label : workload.metadata().labels().entrySet()) {
            List<Ordered<AuthorizationPolicy>> filed = bucket.byLabel.get(LabelKey.of(label.getKey(), label.getValue()));
            if (filed == null) {
                continue;
            }
            for (Ordered<AuthorizationPolicy> entry : filed) {
                if (entry.resource().spec().selector().matches(workload.metadata().labels())) {
                    out.add(entry);
                }
            }
        }
        if (ownNamespace) {
            collectServiceTargets(bucket, workload, out);
        }
    }

    private static void collectServiceTargets(NamespaceBucket<AuthorizationPolicy> bucket, Workload workload,
                                              List<Ordered<AuthorizationPolicy>> out) {
        if (bucket != null) {
            List<Ordered<AuthorizationPolicy>> targeted = bucket.byService.get(workload.metadata().name());
            if (targeted != null) {
                targeted.stream().filter(entry -> !out.contains(entry)).forEach(out::add);
            }
        }
    }
}
