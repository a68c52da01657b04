package dev.signet.policy.eval;

import dev.signet.policy.model.Action;
import dev.signet.policy.model.Condition;
import dev.signet.policy.model.Operation;
import dev.signet.policy.model.Rule;
import dev.signet.policy.model.RuleFrom;
import dev.signet.policy.model.RuleTo;
import dev.signet.policy.model.Source;
import dev.signet.policy.validate.ConditionKey;
import dev.signet.policy.validate.HttpOnlyFields;
import dev.signet.policy.validate.IpBlocks;
import dev.signet.policy.validate.PathPatterns;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Does one rule match one request? On a TCP port, Istio's rule for HTTP-only fields applies: an ALLOW rule that
 * uses one never matches (narrower); any other action ignores those fields (wider). Both fail closed.
 */
final class RuleMatcher {

    private RuleMatcher() {}

    static boolean matches(Rule rule, Request request, boolean tcp, Action action) {
        if (tcp && action == Action.ALLOW && HttpOnlyFields.usedBy(rule)) {
            return false;
        }
        boolean ignoreHttp = tcp;
        boolean from = rule.from().isEmpty()
                || rule.from().stream()
                        .map(RuleFrom::source)
                        .anyMatch(source -> matchesSource(source, request, ignoreHttp));
        boolean to = rule.to().isEmpty()
                || rule.to().stream()
                        .map(RuleTo::operation)
                        .anyMatch(operation -> matchesOperation(operation, request, ignoreHttp));
        boolean when = rule.when().stream().allMatch(condition -> matchesCondition(condition, request, ignoreHttp));
        return from && to && when;
    }

    private static boolean matchesSource(Source s, Request r, boolean ignoreHttp) {
        return field(s.principals(), s.notPrincipals(), v -> Wildcards.matches(v, r.peerPrincipal()))
                && (ignoreHttp
                        || field(
                                s.requestPrincipals(),
                                s.notRequestPrincipals(),
                                v -> Wildcards.matches(v, r.requestPrincipal())))
                && field(s.namespaces(), s.notNamespaces(), v -> Wildcards.matches(v, r.sourceNamespace()))
                && field(s.ipBlocks(), s.notIpBlocks(), v -> inBlock(v, r.sourceIp()))
                && field(s.remoteIpBlocks(), s.notRemoteIpBlocks(), v -> inBlock(v, r.remoteIpOrSource()))
                && field(s.serviceAccounts(), s.notServiceAccounts(), v -> isServiceAccount(v, r.peerPrincipal()));
    }

    private static boolean matchesOperation(Operation o, Request r, boolean ignoreHttp) {
        boolean ports = field(o.ports(), o.notPorts(), v -> Integer.parseInt(v) == r.port());
        if (ignoreHttp) {
            return ports;
        }
        return ports
                && field(o.hosts(), o.notHosts(), v -> matchesHost(v, r.host()))
                && field(o.methods(), o.notMethods(), v -> Wildcards.matches(v, r.method()))
                && field(o.paths(), o.notPaths(), v -> matchesPath(v, r.pathWithoutQuery()));
    }

    private static boolean matchesCondition(Condition c, Request r, boolean ignoreHttp) {
        Optional<ConditionKey.Parsed> parsed = ConditionKey.parse(c.key());
        if (parsed.isEmpty()) {
            return false; // validation refuses unknown keys; a policy the evaluator is handed anyway matches nothing
        }
        ConditionKey.Parsed key = parsed.get();
        if (ignoreHttp && key.key().httpOnly()) {
            return true;
        }
        Predicate<String> test = switch (key.key()) {
            case REQUEST_HEADERS ->
                v -> Wildcards.matches(v, r.headers().get(key.argument().toLowerCase(Locale.ROOT)));
            case SOURCE_IP -> v -> inBlock(v, r.sourceIp());
            case REMOTE_IP -> v -> inBlock(v, r.remoteIpOrSource());
            case DESTINATION_IP -> v -> inBlock(v, r.destinationIp());
            case SOURCE_NAMESPACE -> v -> Wildcards.matches(v, r.sourceNamespace());
            case SOURCE_PRINCIPAL -> v -> Wildcards.matches(v, r.peerPrincipal());
            case DESTINATION_PORT -> v -> Integer.parseInt(v) == r.port();
            case CONNECTION_SNI -> v -> Wildcards.matches(v, r.sni());
            case REQUEST_AUTH_PRINCIPAL -> v -> Wildcards.matches(v, r.requestPrincipal());
            case REQUEST_AUTH_PRESENTER -> v -> Wildcards.matches(v, r.presenter());
            case REQUEST_AUTH_AUDIENCES -> v -> r.audiences().stream().anyMatch(a -> Wildcards.matches(v, a));
            case REQUEST_AUTH_CLAIMS ->
                v -> r.claims().getOrDefault(key.argument(), List.of()).stream()
                        .anyMatch(claim -> Wildcards.matches(v, claim));
        };
        return field(c.values(), c.notValues(), test);
    }

    /** One of {@code values} (if any are given) and none of {@code notValues}. */
    private static boolean field(List<String> values, List<String> notValues, Predicate<String> test) {
        return (values.isEmpty() || values.stream().anyMatch(test))
                && notValues.stream().noneMatch(test);
    }

    private static boolean inBlock(String block, String ip) {
        if (ip == null) {
            return false;
        }
        Optional<byte[]> address = IpBlocks.literal(ip);
        return address.isPresent() && IpBlocks.parse(block).contains(address.get());
    }

    private static boolean isServiceAccount(String namespaceAndName, String principal) {
        if (principal == null) {
            return false;
        }
        String[] want = namespaceAndName.split("/", 2);
        String[] parts = principal.split("/", -1);
        return parts.length == 5
                && !parts[0].isEmpty()
                && parts[1].equals("ns")
                && parts[2].equals(want[0])
                && parts[3].equals("sa")
                && parts[4].equals(want[1]);
    }

    private static boolean matchesHost(String pattern, String host) {
        if (host == null) {
            return false;
        }
        String bare = host;
        int colon = host.lastIndexOf(':');
        if (colon > 0
                && host.indexOf(']') < colon
                && host.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            bare = host.substring(0, colon);
        }
        return Wildcards.matches(pattern.toLowerCase(Locale.ROOT), bare.toLowerCase(Locale.ROOT));
    }

    private static boolean matchesPath(String pattern, String path) {
        return PathPatterns.isTemplate(pattern)
                ? PathTemplates.matches(pattern, path)
                : Wildcards.matches(pattern, path);
    }
}
