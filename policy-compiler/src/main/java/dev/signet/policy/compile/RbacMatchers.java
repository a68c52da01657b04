package dev.signet.policy.compile;

import com.google.protobuf.UInt32Value;
import dev.signet.policy.validate.IpBlocks;
import dev.signet.policy.validate.PathPatterns;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ListMatcher;
import io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher;
import io.envoyproxy.envoy.type.matcher.v3.PathMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ValueMatcher;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The Envoy RBAC matchers an Istio rule's fields become: principals from SPIFFE IDs and authentication metadata,
 * permissions from hosts, paths, headers and address blocks, and the AND/OR/NOT sets that join them (a set of one
 * is its member; an empty AND is "any").
 */
final class RbacMatchers {

    /** Where Istio's authentication filter leaves request.auth.* (JWT) attributes. */
    static final String AUTHN_FILTER = "istio_authn";

    private RbacMatchers() {}

    static Principal principalName(String pattern) {
        return Principal.newBuilder()
                .setAuthenticated(Principal.Authenticated.newBuilder()
                        .setPrincipalName(StringMatchers.of("spiffe://", pattern, false)))
                .build();
    }

    static Principal namespace(String pattern) {
        return Principal.newBuilder()
                .setAuthenticated(Principal.Authenticated.newBuilder()
                        .setPrincipalName(StringMatchers.regex(
                                "spiffe://[^/]+/ns/" + StringMatchers.segmentRegex(pattern) + "/.*")))
                .build();
    }

    static Principal serviceAccount(String namespaceAndName) {
        String[] parts = namespaceAndName.split("/", 2);
        return Principal.newBuilder()
                .setAuthenticated(Principal.Authenticated.newBuilder()
                        .setPrincipalName(StringMatchers.regex("spiffe://[^/]+/ns/" + StringMatchers.quote(parts[0])
                                + "/sa/" + StringMatchers.quote(parts[1]))))
                .build();
    }

    /** Istio's authentication filter's metadata: {@code field}, or {@code field[claim]}; a list for some. */
    static Principal authnMetadata(String field, String claim, String pattern, boolean list) {
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

    static Permission host(String pattern) {
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

    static Permission path(String pattern) {
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

    static Permission headerPermission(String name, StringMatcher matcher) {
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
