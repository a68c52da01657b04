package dev.signet.policy.select;

import dev.signet.policy.model.Mtls;
import dev.signet.policy.model.MtlsMode;
import dev.signet.policy.model.PeerAuthentication;
import dev.signet.policy.model.PeerAuthenticationSpec;
import dev.signet.policy.model.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The effective mTLS mode per port: PERMISSIVE by default, then the mesh policy (root namespace, no selector),
 * the namespace policy, the workload policy (selector), and its port-level setting, each UNSET inheriting from the
 * level above; at each level the oldest policy wins. Selector policies in the root namespace are ignored.
 */
public final class PeerAuthenticationResolver {

    private final String rootNamespace;
    private final Map<String, NamespaceBucket<PeerAuthentication>> buckets = new HashMap<>();

    public PeerAuthenticationResolver(String rootNamespace, List<Ordered<PeerAuthentication>> policies) {
        this.rootNamespace = rootNamespace;
        Map<String, List<Ordered<PeerAuthentication>>> byNamespace = new HashMap<>();
        for (Ordered<PeerAuthentication> entry : policies) {
            byNamespace
                    .computeIfAbsent(entry.resource().metadata().namespaceOrDefault(), ns -> new ArrayList<>())
                    .add(entry);
        }
        byNamespace.forEach((namespace, entries) -> buckets.put(namespace, new NamespaceBucket<>(entries)));
        for (Ordered<PeerAuthentication> entry : policies) {
            PeerAuthentication policy = entry.resource();
            String namespace = policy.metadata().namespaceOrDefault();
            PeerAuthenticationSpec spec = policy.spec();
            NamespaceBucket<PeerAuthentication> bucket = buckets.get(namespace);
            if (spec == null || spec.selector() == null) {
                bucket.selectingAll.add(entry);
            } else if (!namespace.equals(rootNamespace)) {
                if (LabelKey.selectsAll(spec.selector())) {
                    bucket.addByLabel("", entry);
                } else {
                    bucket.addByLabel(LabelKey.of(spec.selector()), entry);
                }
            }
        }
        buckets.values().forEach(NamespaceBucket::sort);
    }

    public MtlsDecision resolve(Workload workload, int port) {
        MtlsDecision decision = MtlsDecision.DEFAULT;
        decision = inherit(decision, oldestSelectingAll(rootNamespace), "mesh");
        String namespace = workload.metadata().namespaceOrDefault();
        if (!namespace.equals(rootNamespace)) {
            decision = inherit(decision, oldestSelectingAll(namespace), "namespace");
        }
        Optional<Ordered<PeerAuthentication>> workloadPolicy = oldestSelecting(workload);
        decision = inherit(decision, workloadPolicy, "workload");
        if (workloadPolicy.isPresent()) {
            Mtls portLevel =
                    workloadPolicy.get().resource().spec().portLevelMtls().get(String.valueOf(port));
            if (portLevel != null && portLevel.modeOrUnset() != MtlsMode.UNSET) {
                decision = new MtlsDecision(
                        portLevel.modeOrUnset(),
                        "PeerAuthentication " + workloadPolicy.get().key() + " (port " + port + ")");
            }
        }
        return decision;
    }

    private static MtlsDecision inherit(
            MtlsDecision above, Optional<Ordered<PeerAuthentication>> policy, String level) {
        if (policy.isEmpty()) {
            return above;
        }
        PeerAuthenticationSpec spec = policy.get().resource().spec();
        MtlsMode mode = spec == null ? MtlsMode.UNSET : spec.modeOrUnset();
        return mode == MtlsMode.UNSET
                ? above
                : new MtlsDecision(mode, "PeerAuthentication " + policy.get().key() + " (" + level + ")");
    }

    private Optional<Ordered<PeerAuthentication>> oldestSelectingAll(String namespace) {
        NamespaceBucket<PeerAuthentication> bucket = buckets.get(namespace);
        return bucket == null || bucket.selectingAll.isEmpty()
                ? Optional.empty()
                : Optional.of(bucket.selectingAll.get(0));
    }

    private Optional<Ordered<PeerAuthentication>> oldestSelecting(Workload workload) {
        String namespace = workload.metadata().namespaceOrDefault();
        NamespaceBucket<PeerAuthentication> bucket = buckets.get(namespace);
        if (bucket == null || namespace.equals(rootNamespace)) {
            return Optional.empty();
        }
        List<Ordered<PeerAuthentication>> candidates = new ArrayList<>(bucket.byLabel.getOrDefault("", List.of()));
        for (Map.Entry<String, String> label : workload.metadata().labels().entrySet()) {
            for (Ordered<PeerAuthentication> entry :
                    bucket.byLabel.getOrDefault(LabelKey.of(label.getKey(), label.getValue()), List.of())) {
                if (entry.resource()
                        .spec()
                        .selector()
                        .matches(workload.metadata().labels())) {
                    candidates.add(entry);
                }
            }
        }
        return candidates.stream().min(java.util.Comparator.naturalOrder());
    }
}
