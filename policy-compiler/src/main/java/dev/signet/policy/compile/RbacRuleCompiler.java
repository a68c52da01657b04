package dev.signet.policy.compile;

import com.google.protobuf.UInt32Value;
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
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ListMatcher;
import io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher;
import io.envoyproxy.envoy.type.matcher.v3.PathMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ValueMatcher;
import java.net.InetAddress;
import java.net.UnknownHostException;
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

    /** Where Istio's authentication filter leaves request.auth.* (JWT) attributes. */
    static final String AUTHN_FILTER = "istio_authn";

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
                RbacRuleCompiler::orPermissions,
                RbacRuleCompiler::notPermission,
                parts);
        if (!tcp) {
            field(
                    o.hosts(),
                    o.notHosts(),
                    RbacRuleCompiler::host,
                    RbacRuleCompiler::orPermissions,
                    RbacRuleCompiler::notPermission,
                    parts);
            field(
                    o.methods(),
                    o.notMethods(),
                    v -> headerPermission(":method", StringMatchers.of(v, false)),
                    RbacRuleCompiler::orPermissions,
                    RbacRuleCompiler::notPermission,
                    parts);
            field(
                    o.paths(),
                    o.notPaths(),
                    RbacRuleCompiler::path,
                    RbacRuleCompiler::orPermissions,
                    RbacRuleCompiler::notPermission,
                    parts);
        }
        return andPermissions(parts);
    }

    private static Principal source(Source s, boolean tcp) {
        List<Principal> parts = new ArrayList<>();
        field(
                s.principals(),
                s.notPrincipals(),
                RbacRuleCompiler::principalName,
                RbacRuleCompiler::orPrincipals,
                RbacRuleCompiler::notPrincipal,
                parts);
        if (!tcp) {
            field(
                    s.requestPrincipals(),
                    s.notRequestPrincipals(),
                    v -> authnMetadata(ConditionKey.REQUEST_AUTH_PRINCIPAL.text(), null, v, false),
                    RbacRuleCompiler::orPrincipals,
                    RbacRuleCompiler::notPrincipal,
                    parts);
        }
        field(
                s.namespaces(),
                s.notNamespaces(),
                RbacRuleCompiler::namespace,
                RbacRuleCompiler::orPrincipals,
                RbacRuleCompiler::notPrincipal,
                parts);
        field(
                s.ipBlocks(),
                s.notIpBlocks(),
                v -> Principal.newBuilder().setDirectRemoteIp(cidr(v)).build(),
                RbacRuleCompiler::orPrincipals,
                RbacRuleCompiler::notPrincipal,
                parts);
        field(
                s.remoteIpBlocks(),
                s.notRemoteIpBlocks(),
                v -> Principal.newBuilder().setRemoteIp(cidr(v)).build(),
                RbacRuleCompiler::orPrincipals,
                RbacRuleCompiler::notPrincipal,
                parts);
        field(
                s.serviceAccounts(),
                s.notServiceAccounts(),
                RbacRuleCompiler::serviceAccount,
                RbacRuleCompiler::orPrincipals,
                RbacRuleCompiler::notPrincipal,
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
        field(c.values(), c.notValues(), one, RbacRuleCompiler::orPermissions, RbacRuleCompiler::notPermission, parts);
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
            case SOURCE_NAMESPACE -> RbacRuleCompiler::namespace;
            case SOURCE_PRINCIPAL -> RbacRuleCompiler::principalName;
            case REQUEST_AUTH_CLAIMS -> v -> authnMetadata(key.key().text(), key.argument(), v, true);
            case REQUEST_AUTH_AUDIENCES -> v -> authnMetadata(key.key().text(), null, v, true);
            case REQUEST_AUTH_PRINCIPAL, REQUEST_AUTH_PRESENTER ->
                v -> authnMetadata(key.key().text(), null, v, false);
            case DESTINATION_IP, DESTINATION_PORT, CONNECTION_SNI ->
                throw new IllegalArgumentException(key.key() + " is not a source key");
        };
        List<Principal> parts = new ArrayList<>();
        field(c.values(), c.notValues(), one, RbacRuleCompiler::orPrincipals, RbacRuleCompiler::notPrincipal, parts);
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

    private static Principal principalName(String pattern) {
        return Principal.newBuilder()
                .setAuthenticated(Principal.Authenticated.newBuilder()
                        .setPrincipalName(StringMatchers.of("spiffe://", pattern, false)))
                .build();
    }

    private static Principal namespace(String pattern) {
        return Principal.newBuilder()
                .setAuthenticated(Principal.Authenticated.newBuilder()
                        .setPrincipalName(StringMatchers.regex(
                                "spiffe://[^/]+/ns/" + StringMatchers.segmentRegex(pattern) + "/.*")))
                .build();
    }

    private static Principal serviceAccount(String namespaceAndName) {
        String[] parts = namespaceAndName.split("/", 2);
        return Principal.newBuilder()
                .setAuthenticated(Principal.Authenticated.newBuilder()
                        .setPrincipalName(StringMatchers.regex("spiffe://[^/]+/ns/" + StringMatchers.quote(parts[0])
                                + "/sa/" + StringMatchers.quote(parts[1]))))
                .build();
    }

    /** Istio's authentication filter's metadata: {@code field}, or {@code field[claim]}; a list for some. */
    private static Principal authnMetadata(String field, String claim, String pattern, boolean list) {
        MetadataMatcher.Builder matcher = MetadataMatcher.newBuilder()
                .setFilter(AUTHN_FILTER)
                .addPath(MetadataMatcher.PathSegment.newBuilder().setKey(field));
        if (claim != null) {
            matcher.addPath(MetadataMatcher.PathSegment.newBuilder().setKey(claim));
        }
        ValueMatcher value = ValueMatcher.newBuilder()
                .setStringMatch(StringMatchers.of(pattern, false))
                .build();
        matcher.setValue(
                list
                        ? ValueMatcher.newBuilder()
                                .setListMatch(ListMatcher.newBuilder().setOneOf(value))
                                .build()
                        : value);
        return Principal.newBuilder().setMetadata(matcher).build();
    }

    private static Permission host(String pattern) {
        String body = pattern.equals("*")
                ? ".+"
                : pattern.startsWith("*")
                        ? ".*" + StringMatchers.quote(pattern.substring(1))
                        : pattern.endsWith("*")
                                ? StringMatchers.quote(pattern.substring(0, pattern.length() - 1)) + ".*"
                                : StringMatchers.quote(pattern);
        String regex = pattern.equals("*") ? "(?i).+" : "(?i)" + body + "(:[0-9]+)?";
        return headerPermission(":authority", StringMatchers.regex(regex));
    }

    private static Permission path(String pattern) {
        StringMatcher matcher = PathPatterns.isTemplate(pattern)
                ? StringMatchers.regex(templateRegex(pattern))
                : StringMatchers.of(pattern, false);
        return Permission.newBuilder()
                .setUrlPath(PathMatcher.newBuilder().setPath(matcher))
                .build();
    }

    /** {@code {*}} is one non-empty segment, {@code {**}} one or more; literal segments are quoted. */
    static String templateRegex(String template) {
        StringBuilder regex = new StringBuilder();
        for (String segment : template.substring(1).split("/", -1)) {
            regex.append('/');
            switch (segment) {
                case "{*}" -> regex.append("[^/]+");
                case "{**}" -> regex.append("[^/]+(/[^/]+)*");
                default -> regex.append(StringMatchers.quote(segment));
            }
        }
        return regex.toString();
    }

    private static Permission headerPermission(String name, StringMatcher matcher) {
        return Permission.newBuilder()
                .setHeader(HeaderMatcher.newBuilder().setName(name).setStringMatch(matcher))
                .build();
    }

    static CidrRange cidr(String block) {
        IpBlocks.Block parsed = IpBlocks.parse(block);
        try {
            String network = InetAddress.getByAddress(parsed.address()).getHostAddress();
            return CidrRange.newBuilder()
                    .setAddressPrefix(network)
                    .setPrefixLen(UInt32Value.of(parsed.prefixLength()))
                    .build();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static Permission orPermissions(List<Permission> permissions) {
        return permissions.size() == 1
                ? permissions.get(0)
                : Permission.newBuilder()
                        .setOrRules(Permission.Set.newBuilder().addAllRules(permissions))
                        .build();
    }

    static Permission andPermissions(List<Permission> permissions) {
        if (permissions.isEmpty()) {
            return Permission.newBuilder().setAny(true).build();
        }
        return permissions.size() == 1
                ? permissions.get(0)
                : Permission.newBuilder()
                        .setAndRules(Permission.Set.newBuilder().addAllRules(permissions))
                        .build();
    }

    static Permission notPermission(Permission permission) {
        return Permission.newBuilder().setNotRule(permission).build();
    }

    static Principal orPrincipals(List<Principal> principals) {
        return principals.size() == 1
                ? principals.get(0)
                : Principal.newBuilder()
                        .setOrIds(Principal.Set.newBuilder().addAllIds(principals))
                        .build();
    }

    static Principal andPrincipals(List<Principal> principals) {
        if (principals.isEmpty()) {
            return Principal.newBuilder().setAny(true).build();
        }
        return principals.size() == 1
                ? principals.get(0)
                : Principal.newBuilder()
                        .setAndIds(Principal.Set.newBuilder().addAllIds(principals))
                        .build();
    }

    static Principal notPrincipal(Principal principal) {
        return Principal.newBuilder().setNotId(principal).build();
    }
}
