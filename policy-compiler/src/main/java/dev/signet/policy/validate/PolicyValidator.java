package dev.signet.policy.validate;

import dev.signet.policy.model.Action;
import dev.signet.policy.model.AuthorizationPolicy;
import dev.signet.policy.model.AuthorizationPolicySpec;
import dev.signet.policy.model.Condition;
import dev.signet.policy.model.ObjectMeta;
import dev.signet.policy.model.Operation;
import dev.signet.policy.model.PeerAuthentication;
import dev.signet.policy.model.PeerAuthenticationSpec;
import dev.signet.policy.model.Resource;
import dev.signet.policy.model.Rule;
import dev.signet.policy.model.Source;
import dev.signet.policy.model.TargetRef;
import dev.signet.policy.model.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Istio's validation rules for AuthorizationPolicy and PeerAuthentication, Signet's for Workload, each error
 * naming its field path. Stateless apart from the configured root namespace.
 */
public final class PolicyValidator {

    private final String rootNamespace;

    public PolicyValidator(String rootNamespace) {
        this.rootNamespace = rootNamespace;
    }

    public List<FieldError> validate(Resource resource) {
        List<FieldError> errors = new ArrayList<>();
        checkMetadata(resource.metadata(), errors);
        if (resource instanceof AuthorizationPolicy policy) {
            checkAuthorizationPolicy(policy, errors);
        } else if (resource instanceof PeerAuthentication policy) {
            checkPeerAuthentication(policy, errors);
        } else if (resource instanceof Workload workload) {
            WorkloadValidator.check(workload, errors);
        }
        return errors;
    }

    /** The namespace of a resource whose metadata may be missing (an error of its own, reported once). */
    private static String namespaceOf(Resource resource) {
        return resource.metadata() == null
                ? ObjectMeta.DEFAULT_NAMESPACE
                : resource.metadata().namespaceOrDefault();
    }

    private static void checkMetadata(ObjectMeta metadata, List<FieldError> errors) {
        FieldPath path = FieldPath.of("metadata");
        if (metadata == null) {
            errors.add(FieldError.error(path, "metadata with a name is required"));
            return;
        }
        if (metadata.name() == null || metadata.name().isEmpty()) {
            errors.add(FieldError.error(path.field("name"), "a name is required"));
        } else if (!Patterns.isDnsSubdomain(metadata.name())) {
            errors.add(FieldError.error(
                    path.field("name"),
                    "\"" + metadata.name() + "\" is not a valid name (lower-case letters, digits, '-' and '.')"));
        }
        if (metadata.namespace() != null && !Patterns.isDnsLabel(metadata.namespace())) {
            errors.add(FieldError.error(
                    path.field("namespace"), "\"" + metadata.namespace() + "\" is not a valid namespace"));
        }
    }

    private void checkAuthorizationPolicy(AuthorizationPolicy policy, List<FieldError> errors) {
        AuthorizationPolicySpec spec = policy.spec() == null ? AuthorizationPolicySpec.empty() : policy.spec();
        FieldPath path = FieldPath.of("spec");
        if (spec.targetRef() != null && !spec.targetRefs().isEmpty()) {
            errors.add(FieldError.error(path.field("targetRef"), "use targetRefs or targetRef, not both"));
        }
        if (spec.selector() != null && !spec.allTargetRefs().isEmpty()) {
            errors.add(FieldError.error(path.field("targetRefs"), "selector and targetRefs are mutually exclusive"));
        }
        checkTargetRefs(spec, namespaceOf(policy), path, errors);
        Action action = spec.actionOrDefault();
        if (action == Action.CUSTOM
                && (spec.provider() == null || isBlank(spec.provider().name()))) {
            errors.add(FieldError.error(path.field("provider"), "a CUSTOM policy needs provider.name"));
        }
        if (action != Action.CUSTOM && spec.provider() != null) {
            errors.add(FieldError.error(path.field("provider"), "provider is only allowed with action CUSTOM"));
        }
        if ((action == Action.DENY || action == Action.CUSTOM) && spec.rules().isEmpty()) {
            errors.add(FieldError.error(
                    path.field("rules"),
                    "a " + action + " policy needs at least one rule"
                            + " (to deny everything, use an ALLOW policy with no rules)"));
        }
        for (int i = 0; i < spec.rules().size(); i++) {
            checkRule(spec.rules().get(i), path.field("rules").index(i), errors);
        }
        if (spec.selector() != null) {
            checkLabels(spec.selector().matchLabels(), path.field("selector").field("matchLabels"), errors);
        }
    }

    private static void checkTargetRefs(
            AuthorizationPolicySpec spec, String namespace, FieldPath path, List<FieldError> errors) {
        List<TargetRef> refs = spec.allTargetRefs();
        for (int i = 0; i < refs.size(); i++) {
            TargetRef ref = refs.get(i);
            FieldPath refPath = spec.targetRef() != null && i == 0
                    ? path.field("targetRef")
                    : path.field("targetRefs").index(spec.targetRef() != null ? i - 1 : i);
            if (isBlank(ref.kind())) {
                errors.add(FieldError.error(refPath.field("kind"), "kind is required"));
            } else if (!ref.kind().equals("Service")) {
                errors.add(FieldError.warning(
                        refPath.field("kind"),
                        "Signet attaches policies to Services only; " + "this reference to a " + ref.kind()
                                + " selects no workload"));
            }
            if (isBlank(ref.name())) {
                errors.add(FieldError.error(refPath.field("name"), "name is required"));
            }
            if (ref.namespace() != null
                    && !ref.namespace().isEmpty()
                    && !ref.namespace().equals(namespace)) {
                errors.add(FieldError.error(
                        refPath.field("namespace"),
                        "a policy may only target resources in its own namespace (" + namespace + ")"));
            }
        }
    }

    private static void checkRule(Rule rule, FieldPath path, List<FieldError> errors) {
        for (int j = 0; j < rule.from().size(); j++) {
            FieldPath fromPath = path.field("from").index(j).field("source");
            Source source = rule.from().get(j).source();
            if (source == null || source.isEmpty()) {
                errors.add(FieldError.error(fromPath, "source must set at least one field"));
                continue;
            }
            checkSource(source, fromPath, errors);
        }
        for (int j = 0; j < rule.to().size(); j++) {
            FieldPath toPath = path.field("to").index(j).field("operation");
            Operation operation = rule.to().get(j).operation();
            if (operation == null || operation.isEmpty()) {
                errors.add(FieldError.error(toPath, "operation must set at least one field"));
                continue;
            }
            checkOperation(operation, toPath, errors);
        }
        for (int j = 0; j < rule.when().size(); j++) {
            checkCondition(rule.when().get(j), path.field("when").index(j), errors);
        }
    }

    private static void checkSource(Source s, FieldPath path, List<FieldError> errors) {
        each(s.principals(), path.field("principals"), Patterns::principal, errors);
        each(s.notPrincipals(), path.field("notPrincipals"), Patterns::principal, errors);
        each(s.requestPrincipals(), path.field("requestPrincipals"), Patterns::wildcard, errors);
        each(s.notRequestPrincipals(), path.field("notRequestPrincipals"), Patterns::wildcard, errors);
        each(s.namespaces(), path.field("namespaces"), Patterns::namespace, errors);
        each(s.notNamespaces(), path.field("notNamespaces"), Patterns::namespace, errors);
        each(s.ipBlocks(), path.field("ipBlocks"), IpBlocks::check, errors);
        each(s.notIpBlocks(), path.field("notIpBlocks"), IpBlocks::check, errors);
        each(s.remoteIpBlocks(), path.field("remoteIpBlocks"), IpBlocks::check, errors);
        each(s.notRemoteIpBlocks(), path.field("notRemoteIpBlocks"), IpBlocks::check, errors);
        each(s.serviceAccounts(), path.field("serviceAccounts"), Patterns::serviceAccount, errors);
        each(s.notServiceAccounts(), path.field("notServiceAccounts"), Patterns::serviceAccount, errors);
        boolean accounts =
                !s.serviceAccounts().isEmpty() || !s.notServiceAccounts().isEmpty();
        boolean identities = !s.principals().isEmpty()
                || !s.notPrincipals().isEmpty()
                || !s.namespaces().isEmpty()
                || !s.notNamespaces().isEmpty();
        if (accounts && identities) {
            errors.add(FieldError.error(
                    path.field(s.serviceAccounts().isEmpty() ? "notServiceAccounts" : "serviceAccounts"),
                    "serviceAccounts cannot be combined with principals or namespaces in one source"));
        }
    }

    private static void checkOperation(Operation o, FieldPath path, List<FieldError> errors) {
        each(o.hosts(), path.field("hosts"), Patterns::wildcard, errors);
        each(o.notHosts(), path.field("notHosts"), Patterns::wildcard, errors);
        each(o.ports(), path.field("ports"), Patterns::port, errors);
        each(o.notPorts(), path.field("notPorts"), Patterns::port, errors);
        each(o.methods(), path.field("methods"), Patterns::method, errors);
        each(o.notMethods(), path.field("notMethods"), Patterns::method, errors);
        each(o.paths(), path.field("paths"), PathPatterns::check, errors);
        each(o.notPaths(), path.field("notPaths"), PathPatterns::check, errors);
    }

    private static void checkCondition(Condition condition, FieldPath path, List<FieldError> errors) {
        if (isBlank(condition.key())) {
            errors.add(FieldError.error(path.field("key"), "key is required"));
            return;
        }
        Optional<String> keyProblem = ConditionKey.problem(condition.key());
        if (keyProblem.isPresent()) {
            errors.add(FieldError.error(path.field("key"), keyProblem.get()));
            return;
        }
        if (condition.values().isEmpty() && condition.notValues().isEmpty()) {
            errors.add(FieldError.error(path, "values or notValues must be set"));
        }
        Function<String, Optional<String>> check =
                ConditionKey.parse(condition.key()).orElseThrow().key()::checkValue;
        each(condition.values(), path.field("values"), check, errors);
        each(condition.notValues(), path.field("notValues"), check, errors);
    }

    private void checkPeerAuthentication(PeerAuthentication policy, List<FieldError> errors) {
        PeerAuthenticationSpec spec = policy.spec();
        if (spec == null) {
            return;
        }
        FieldPath path = FieldPath.of("spec");
        if (!spec.portLevelMtls().isEmpty() && spec.selector() == null) {
            errors.add(FieldError.error(
                    path.field("portLevelMtls"),
                    "portLevelMtls needs a selector (port-level settings apply to selected workloads only)"));
        }
        for (Map.Entry<String, ?> entry : spec.portLevelMtls().entrySet()) {
            Patterns.port(entry.getKey())
                    .ifPresent(problem -> errors.add(
                            FieldError.error(path.field("portLevelMtls").key(entry.getKey()), problem)));
            if (entry.getValue() == null) {
                errors.add(FieldError.error(path.field("portLevelMtls").key(entry.getKey()), "a mode is required"));
            }
        }
        if (spec.selector() != null) {
            checkLabels(spec.selector().matchLabels(), path.field("selector").field("matchLabels"), errors);
            if (rootNamespace.equals(namespaceOf(policy))) {
                errors.add(FieldError.warning(
                        path.field("selector"),
                        "a PeerAuthentication with a selector in the root namespace (" + rootNamespace
                                + ") has no effect; put it in the workload's namespace"));
            }
        }
    }

    /** Label keys and values as the CRDs' schema rules accept them. */
    static void checkLabels(Map<String, String> labels, FieldPath path, List<FieldError> errors) {
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (label.getKey().isEmpty()) {
                errors.add(FieldError.error(path, "a label key must not be empty"));
            } else if (label.getKey().contains("*")) {
                // The CRD's schema rule, so that check refuses what the API server refuses.
                errors.add(FieldError.error(path.key(label.getKey()), "wildcard not allowed in label key match"));
            }
            if (label.getValue() == null) {
                errors.add(FieldError.error(path.key(label.getKey()), "a label value must be a string"));
            }
        }
    }

    private static void each(
            List<String> values, FieldPath path, Function<String, Optional<String>> check, List<FieldError> errors) {
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value == null || value.isEmpty()) {
                errors.add(FieldError.error(path.index(i), "must not be empty"));
                continue;
            }
            int index = i;
            check.apply(value).ifPresent(problem -> errors.add(FieldError.error(path.index(index), problem)));
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
