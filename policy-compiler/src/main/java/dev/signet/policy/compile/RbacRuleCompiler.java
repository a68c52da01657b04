package dev.signet.policy.compile;

import static dev.signet.policy.compile.RbacMatchers.andPermissions;
import static dev.signet.policy.compile.RbacMatchers.andPrincipals;
import static dev.signet.policy.compile.RbacMatchers.authnMetadata;
import static dev.signet.policy.compile.RbacMatchers.cidr;
import static dev.signet.policy.compile.RbacMatchers.headerPermission;
import static dev.signet.policy.compile.RbacMatchers.orPermissions;
import static dev.signet.policy.compile.RbacMatchers.orPrincipals;

import dev.signet.policy.model.Action;
import dev.signet.policy.model.Condition;
import dev.signet.policy.model.Operation;
import dev.signet.policy.model.Rule;
import dev.signet.policy.model.RuleFrom;
import dev.signet.policy.model.RuleTo;
import dev.signet.policy.model.Source;
import dev.signet.policy.validate.ConditionKey;
import dev.signet.policy.validate.HttpOnlyFields;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One Istio rule to one Envoy RBAC policy: permissions from {@code to} and the destination-side {@code when}
 * keys, principals from {@code from} and the source-side ones. On a TCP port an ALLOW rule with HTTP-only fields
 * is dropped and any other action's HTTP-only fields are left out, as Istio does.
 */
final class RbacRuleCompiler {

    private RbacRuleCompiler() {}

    /** The policy for {@code rule}, or empty when the rule is dropped on a TCP port. */
    static Optional<Policy> compile(Rule rule, Action action, boolean tcp) {
        if (tcp && action == Action.ALLOW && HttpOnlyFields.usedBy(rule)) {
            return Optional.empty();
        }
        List<Permission> permissionParts = new ArrayList<>();
        List<Principal> principalParts = new ArrayList<>();
        if (!rule.to().isEmpty()) {
            permissionParts.add(orPermissions(rule.to().stream()
                    .map(RuleTo::operation)
                    .map(o -> operation(o, tcp))
                    .toList()));
        }
        if (!rule.from().isEmpty()) {
            principalParts.add(orPrincipals(rule.from().stream()
                    .map(RuleFrom::source)
                    .map(s -> source(s, tcp))
                    .toList()));
        }
        for (Condition condition : rule.when()) {
            // Validation let only known keys through.
            ConditionKey.Parsed key = ConditionKey.parse(condition.key()).orElseThrow();
            if (tcp && key.key().httpOnly()) {
                continue;
            }
            if (key.key().side() == ConditionKey.Side.DESTINATION) {
                permissionParts.add(destinationCondition(condition, key));
            } else {
                principalParts.add(sourceCondition(condition, key));
            }
        }
        return Optional.of(Policy.newBuilder()
                .addPermissions(andPermissions(permissionParts))
                .addPrincipals(andPrincipals(principalParts))
                .build());
    }

    private static Permission operation(Operation o, boolean tcp) {
        List<Permission> parts = new ArrayList<>();
        field(
                o.ports(),
                o.notPorts(),
                v -> Permission.newBuilder()
                        .setDestinationPort(Integer.parseInt(v))
                        .build(),
                RbacMatchers::orPermissions,
                RbacMatchers::notPermission,
                parts);
        if (!tcp) {
            field(
                    o.hosts(),
                    o.notHosts(),
                    RbacMatchers::host,
                    RbacMatchers::orPermissions,
                    RbacMatchers::notPermission,
                    parts);
            field(
                    o.methods(),
                    o.notMethods(),
                    v -> headerPermission(":method", StringMatchers.of(v, false)),
                    RbacMatchers::orPermissions,
                    RbacMatchers::notPermission,
                    parts);
            field(
                    o.paths(),
                    o.notPaths(),
                    RbacMatchers::path,
                    RbacMatchers::orPermissions,
                    RbacMatchers::notPermission,
                    parts);
        }
        return andPermissions(parts);
    }

    private static Principal source(Source s, boolean tcp) {
        List<Principal> parts = new ArrayList<>();
        field(
                s.principals(),
                s.notPrincipals(),
                RbacMatchers::principalName,
                RbacMatchers::orPrincipals,
                RbacMatchers::notPrincipal,
                parts);
        if (!tcp) {
            field(
                    s.requestPrincipals(),
                    s.notRequestPrincipals(),
                    v -> authnMetadata(ConditionKey.REQUEST_AUTH_PRINCIPAL.text(), null, v, false),
                    RbacMatchers::orPrincipals,
                    RbacMatchers::notPrincipal,
                    parts);
        }
        field(
                s.namespaces(),
                s.notNamespaces(),
                RbacMatchers::namespace,
                RbacMatchers::orPrincipals,
                RbacMatchers::notPrincipal,
                parts);
        field(
                s.ipBlocks(),
                s.notIpBlocks(),
                v -> Principal.newBuilder().setDirectRemoteIp(cidr(v)).build(),
                RbacMatchers::orPrincipals,
                RbacMatchers::notPrincipal,
                parts);
        field(
                s.remoteIpBlocks(),
                s.notRemoteIpBlocks(),
                v -> Principal.newBuilder().setRemoteIp(cidr(v)).build(),
                RbacMatchers::orPrincipals,
                RbacMatchers::notPrincipal,
                parts);
        field(
                s.serviceAccounts(),
                s.notServiceAccounts(),
                RbacMatchers::serviceAccount,
                RbacMatchers::orPrincipals,
                RbacMatchers::notPrincipal,
                parts);
        return andPrincipals(parts);
    }

    private static Permission destinationCondition(Condition c, ConditionKey.Parsed key) {
        Function<String, Permission> one = switch (key.key()) {
            case DESTINATION_IP ->
                v -> Permission.newBuilder().setDestinationIp(cidr(v)).build();
            case DESTINATION_PORT ->
                v -> Permission.newBuilder()
                        .setDestinationPort(Integer.parseInt(v))
                        .build();
            case CONNECTION_SNI ->
                v -> Permission.newBuilder()
                        .setRequestedServerName(StringMatchers.of(v, false))
                        .build();
            case SOURCE_IP,
                    REMOTE_IP,
                    SOURCE_NAMESPACE,
                    SOURCE_PRINCIPAL,
                    REQUEST_HEADERS,
                    REQUEST_AUTH_PRINCIPAL,
                    REQUEST_AUTH_AUDIENCES,
                    REQUEST_AUTH_PRESENTER,
                    REQUEST_AUTH_CLAIMS -> throw new IllegalArgumentException(key.key() + " is not a destination key");
        };
        List<Permission> parts = new ArrayList<>();
        field(c.values(), c.notValues(), one, RbacMatchers::orPermissions, RbacMatchers::notPermission, parts);
        return andPermissions(parts);
    }

    private static Principal sourceCondition(Condition c, ConditionKey.Parsed key) {
        Function<String, Principal> one = switch (key.key()) {
            case REQUEST_HEADERS ->
                v -> Principal.newBuilder()
                        .setHeader(HeaderMatcher.newBuilder()
                                .setName(key.argument())
                                .setStringMatch(StringMatchers.of(v, false)))
                        .build();
            case SOURCE_IP ->
                v -> Principal.newBuilder().setDirectRemoteIp(cidr(v)).build();
            case REMOTE_IP -> v -> Principal.newBuilder().setRemoteIp(cidr(v)).build();
            case SOURCE_NAMESPACE -> RbacMatchers::namespace;
            case SOURCE_PRINCIPAL -> RbacMatchers::principalName;
            case REQUEST_AUTH_CLAIMS -> v -> authnMetadata(key.key().text(), key.argument(), v, true);
            case REQUEST_AUTH_AUDIENCES -> v -> authnMetadata(key.key().text(), null, v, true);
            case REQUEST_AUTH_PRINCIPAL, REQUEST_AUTH_PRESENTER ->
                v -> authnMetadata(key.key().text(), null, v, false);
            case DESTINATION_IP, DESTINATION_PORT, CONNECTION_SNI ->
                throw new IllegalArgumentException(key.key() + " is not a source key");
        };
        List<Principal> parts = new ArrayList<>();
        field(c.values(), c.notValues(), one, RbacMatchers::orPrincipals, RbacMatchers::notPrincipal, parts);
        return andPrincipals(parts);
    }

    /** values ORed, notValues ORed under a NOT, both added to {@code parts} when present. */
    private static <T> void field(
            List<String> values,
            List<String> notValues,
            Function<String, T> one,
            Function<List<T>, T> or,
            Function<T, T> not,
            List<T> parts) {
        if (!values.isEmpty()) {
            parts.add(or.apply(values.stream().map(one).toList()));
        }
        if (!notValues.isEmpty()) {
            parts.add(not.apply(or.apply(notValues.stream().map(one).toList())));
        }
    }
}
