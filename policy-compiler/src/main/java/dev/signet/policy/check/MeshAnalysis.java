package dev.signet.policy.check;

import dev.signet.policy.load.Diagnostic;
import dev.signet.policy.load.LoadedResource;
import dev.signet.policy.load.Location;
import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.model.Condition;
import dev.signet.policy.model.MtlsMode;
import dev.signet.policy.model.PeerAuthentication;
import dev.signet.policy.model.Resource;
import dev.signet.policy.model.Rule;
import dev.signet.policy.model.Selector;
import dev.signet.policy.model.Source;
import dev.signet.policy.model.Workload;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.select.MtlsDecision;
import dev.signet.policy.select.Ordered;
import dev.signet.policy.validate.FieldPath;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What only the whole of what is applied shows, as {@code istioctl analyze} finds it: policies whose selector matches
 * no workload, workloads no PeerAuthentication covers, principals and service accounts naming accounts that do not
 * exist, and PeerAuthentications that contradict each other at the same level. Every finding is a warning: each of
 * these can be meant (a policy applied before its workload), none makes a policy invalid.
 */
public final class MeshAnalysis {

    private static final Pattern PRINCIPAL = Pattern.compile("[^/*]+/ns/([^/*]+)/sa/([^/*]+)");
    private static final int LISTED = 5;

    private final MeshPolicies mesh;
    private final Optional<Set<String>> serviceAccounts;

    /**
     * {@code serviceAccounts}: every {@code namespace/name} that exists, when known (a cluster), else empty (a
     * folder, where accounts are not declared).
     */
    public MeshAnalysis(MeshPolicies mesh, Optional<Set<String>> serviceAccounts) {
        this.mesh = mesh;
        this.serviceAccounts = serviceAccounts;
    }

    public List<Diagnostic> analyse(Collection<LoadedResource> resources) {
        List<Diagnostic> found = new ArrayList<>();
        List<Ordered<PeerAuthentication>> peerAuthentications = new ArrayList<>();
        Map<PeerAuthentication, LoadedResource> loadedAs = new java.util.IdentityHashMap<>();
        for (LoadedResource loaded : resources) {
            if (loaded.resource() instanceof AuthorizationPolicy policy) {
                selectsNothing(
                                loaded,
                                policy.specOrEmpty().selector(),
                                !mesh.workloadsSelectedBy(policy).isEmpty())
                        .ifPresent(found::add);
                serviceAccounts.ifPresent(accounts -> unknownAccounts(loaded, policy, accounts, found));
            } else if (loaded.resource() instanceof PeerAuthentication policy) {
                peerAuthentications.add(Ordered.of(policy, loaded.sequence()));
                loadedAs.put(policy, loaded);
                Selector selector = policy.spec() == null ? null : policy.spec().selector();
                selectsNothing(
                                loaded,
                                selector,
                                selected(policy, selector).findAny().isPresent())
                        .ifPresent(found::add);
            }
        }
        uncovered(found);
        conflicts(peerAuthentications, loadedAs, found);
        return found;
    }

    private java.util.stream.Stream<Workload> selected(PeerAuthentication policy, Selector selector) {
        String namespace = policy.metadata().namespaceOrDefault();
        return mesh.workloads().stream()
                .filter(w -> w.metadata().namespaceOrDefault().equals(namespace))
                .filter(w -> selector == null || selector.matches(w.metadata().labels()));
    }

    private static Optional<Diagnostic> selectsNothing(LoadedResource loaded, Selector selector, boolean selects) {
        if (selector == null || selector.matchLabels().isEmpty() || selects) {
            return Optional.empty();
        }
        String labels = selector.matchLabels().entrySet().stream()
                .map(label -> label.getKey() + "=" + label.getValue())
                .collect(Collectors.joining(","));
        return Optional.of(warning(
                loaded,
                "spec.selector",
                "selects no workload: no Pod in namespace "
                        + loaded.resource().metadata().namespaceOrDefault() + " has the labels " + labels));
    }

    private void uncovered(List<Diagnostic> found) {
        Map<String, List<String>> byNamespace = new TreeMap<>();
        for (Workload workload : mesh.workloads()) {
            MtlsDecision decision = mesh.mtls(workload, 0);
            if (decision.equals(MtlsDecision.DEFAULT)) {
                byNamespace
                        .computeIfAbsent(workload.metadata().namespaceOrDefault(), ns -> new ArrayList<>())
                        .add(workload.metadata().name());
            }
        }
        byNamespace.forEach((namespace, names) -> found.add(new Diagnostic(
                Diagnostic.Severity.WARNING,
                new Location("<cluster>", 0, 0),
                "Namespace " + namespace,
                null,
                "no PeerAuthentication covers " + listed(names) + ": mutual TLS is PERMISSIVE, plain text accepted; "
                        + "apply one with mode STRICT here or in the root namespace (" + mesh.rootNamespace() + ")")));
    }

    private static String listed(List<String> names) {
        List<String> sorted = names.stream().sorted().toList();
        String shown = String.join(", ", sorted.subList(0, Math.min(LISTED, sorted.size())));
        return sorted.size() + " workload(s) (" + shown + (sorted.size() > LISTED ? ", ..." : "") + ")";
    }

    private static void unknownAccounts(
            LoadedResource loaded, AuthorizationPolicy policy, Set<String> accounts, List<Diagnostic> found) {
        List<Rule> rules = policy.specOrEmpty().rules();
        for (int i = 0; i < rules.size(); i++) {
            FieldPath rule = FieldPath.of("spec").field("rules").index(i);
            for (int j = 0; j < rules.get(i).from().size(); j++) {
                Source source = rules.get(i).from().get(j).source();
                if (source == null) {
                    continue;
                }
                FieldPath path = rule.field("from").index(j).field("source");
                principals(source.principals(), path.field("principals"), loaded, accounts, found);
                principals(source.notPrincipals(), path.field("notPrincipals"), loaded, accounts, found);
                serviceAccounts(source.serviceAccounts(), path.field("serviceAccounts"), loaded, accounts, found);
                serviceAccounts(source.notServiceAccounts(), path.field("notServiceAccounts"), loaded, accounts, found);
            }
            List<Condition> when = rules.get(i).when();
            for (int j = 0; j < when.size(); j++) {
                if ("source.principal".equals(when.get(j).key())) {
                    FieldPath path = rule.field("when").index(j);
                    principals(when.get(j).values(), path.field("values"), loaded, accounts, found);
                    principals(when.get(j).notValues(), path.field("notValues"), loaded, accounts, found);
                }
            }
        }
    }

    private static void principals(
            List<String> values, FieldPath path, LoadedResource loaded, Set<String> accounts, List<Diagnostic> found) {
        for (int k = 0; k < values.size(); k++) {
            Matcher principal = PRINCIPAL.matcher(values.get(k));
            if (principal.matches()) {
                missing(principal.group(1) + "/" + principal.group(2), path.index(k), loaded, accounts, found);
            }
        }
    }

    private static void serviceAccounts(
            List<String> values, FieldPath path, LoadedResource loaded, Set<String> accounts, List<Diagnostic> found) {
        for (int k = 0; k < values.size(); k++) {
            if (!values.get(k).contains("*")) {
                missing(values.get(k), path.index(k), loaded, accounts, found);
            }
        }
    }

    private static void missing(
            String account, FieldPath path, LoadedResource loaded, Set<String> accounts, List<Diagnostic> found) {
        if (!accounts.contains(account)) {
            found.add(warning(
                    loaded,
                    path.toString(),
                    "names the service account " + account + ", which does not exist (a typo, or not created yet)"));
        }
    }

    /**
     * Two PeerAuthentications at the same level (mesh, namespace, or workload selectors matching one Pod) with
     * different modes: only the oldest applies, which is rarely what the newer one's author meant.
     */
    private void conflicts(
            List<Ordered<PeerAuthentication>> policies,
            Map<PeerAuthentication, LoadedResource> loadedAs,
            List<Diagnostic> found) {
        Map<String, List<Ordered<PeerAuthentication>>> wide = new LinkedHashMap<>();
        for (Ordered<PeerAuthentication> policy : policies) {
            Selector selector = policy.resource().spec() == null
                    ? null
                    : policy.resource().spec().selector();
            if (selector == null) {
                wide.computeIfAbsent(policy.resource().metadata().namespaceOrDefault(), ns -> new ArrayList<>())
                        .add(policy);
            }
        }
        Set<String> reported = new TreeSet<>();
        wide.forEach((namespace, level) -> conflict(
                level,
                namespace.equals(mesh.rootNamespace()) ? "the whole mesh" : "namespace " + namespace,
                loadedAs,
                reported,
                found));
        for (Workload workload : mesh.workloads()) {
            List<Ordered<PeerAuthentication>> selecting = policies.stream()
                    .filter(p ->
                            p.resource().spec() != null && p.resource().spec().selector() != null)
                    .filter(p -> p.resource()
                            .metadata()
                            .namespaceOrDefault()
                            .equals(workload.metadata().namespaceOrDefault()))
                    .filter(p -> p.resource()
                            .spec()
                            .selector()
                            .matches(workload.metadata().labels()))
                    .toList();
            conflict(selecting, "workload " + workload.key(), loadedAs, reported, found);
        }
    }

    private static void conflict(
            List<Ordered<PeerAuthentication>> level,
            String scope,
            Map<PeerAuthentication, LoadedResource> loadedAs,
            Set<String> reported,
            List<Diagnostic> found) {
        List<Ordered<PeerAuthentication>> sorted = level.stream().sorted().toList();
        if (sorted.size() < 2) {
            return;
        }
        PeerAuthentication oldest = sorted.get(0).resource();
        MtlsMode mode = oldest.spec() == null ? MtlsMode.UNSET : oldest.spec().modeOrUnset();
        for (Ordered<PeerAuthentication> newer : sorted.subList(1, sorted.size())) {
            MtlsMode other = newer.resource().spec() == null
                    ? MtlsMode.UNSET
                    : newer.resource().spec().modeOrUnset();
            if (other != mode && reported.add(newer.resource().key() + " " + oldest.key())) {
                found.add(warning(
                        loadedAs.get(newer.resource()),
                        "spec.mtls.mode",
                        "conflicts with PeerAuthentication " + oldest.key() + " (" + other + " here, " + mode
                                + " there) for " + scope + "; only the oldest, " + oldest.key() + ", applies"));
            }
        }
    }

    private static Diagnostic warning(LoadedResource loaded, String field, String message) {
        Resource resource = loaded.resource();
        return new Diagnostic(
                Diagnostic.Severity.WARNING, loaded.location(), resource.kind() + " " + resource.key(), field, message);
    }
}
