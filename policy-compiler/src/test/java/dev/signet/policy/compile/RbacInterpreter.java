package dev.signet.policy.compile;

import dev.signet.policy.eval.Request;
import dev.signet.policy.validate.IpBlocks;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ValueMatcher;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Envoy's RBAC matching, written from Envoy's documentation for the subset Signet emits, over the evaluator's
 * Request type. A policy matches when any permission and any principal match; safe_regex is a full match.
 * {@code principal} is what the transport authenticated: the peer principal only on a TLS chain.
 */
final class RbacInterpreter {

    private RbacInterpreter() {}

    static boolean matches(Policy policy, Request request, String principal) {
        return policy.getPermissionsList().stream().anyMatch(p -> permission(p, request))
                && policy.getPrincipalsList().stream().anyMatch(p -> principal(p, request, principal));
    }

    static boolean permission(Permission p, Request r) {
        return switch (p.getRuleCase()) {
            case ANY -> p.getAny();
            case AND_RULES -> p.getAndRules().getRulesList().stream().allMatch(x -> permission(x, r));
            case OR_RULES -> p.getOrRules().getRulesList().stream().anyMatch(x -> permission(x, r));
            case NOT_RULE -> !permission(p.getNotRule(), r);
            case HEADER -> header(p.getHeader(), r);
            case DESTINATION_PORT -> p.getDestinationPort() == r.port();
            case DESTINATION_IP -> cidr(p.getDestinationIp(), r.destinationIp());
            case URL_PATH -> string(p.getUrlPath().getPath(), r.pathWithoutQuery());
            case REQUESTED_SERVER_NAME -> string(p.getRequestedServerName(), r.sni() == null ? "" : r.sni());
            default -> throw new IllegalArgumentException("permission kind not interpreted: " + p.getRuleCase());
        };
    }

    static boolean principal(Principal p, Request r, String principal) {
        return switch (p.getIdentifierCase()) {
            case ANY -> p.getAny();
            case AND_IDS -> p.getAndIds().getIdsList().stream().allMatch(x -> principal(x, r, principal));
            case OR_IDS -> p.getOrIds().getIdsList().stream().anyMatch(x -> principal(x, r, principal));
            case NOT_ID -> !principal(p.getNotId(), r, principal);
            case AUTHENTICATED ->
                principal != null && string(p.getAuthenticated().getPrincipalName(), "spiffe://" + principal);
            case DIRECT_REMOTE_IP -> cidr(p.getDirectRemoteIp(), r.sourceIp());
            case REMOTE_IP -> cidr(p.getRemoteIp(), r.remoteIpOrSource());
            case HEADER -> header(p.getHeader(), r);
            case METADATA -> metadata(p.getMetadata(), r);
            default -> throw new IllegalArgumentException("principal kind not interpreted: " + p.getIdentifierCase());
        };
    }

    private static boolean header(HeaderMatcher m, Request r) {
        String name = m.getName().toLowerCase(Locale.ROOT);
        String value = switch (name) {
            case ":method" -> r.method();
            case ":authority" -> r.host();
            case ":path" -> r.path();
            default -> r.headers().get(name);
        };
        return value != null && string(m.getStringMatch(), value);
    }

    private static boolean metadata(MetadataMatcher m, Request r) {
        if (!m.getFilter().equals(RbacMatchers.AUTHN_FILTER)) {
            return false;
        }
        String field = m.getPath(0).getKey();
        List<String> values = switch (field) {
            case "request.auth.principal" -> r.requestPrincipal() == null ? List.of() : List.of(r.requestPrincipal());
            case "request.auth.presenter" -> r.presenter() == null ? List.of() : List.of(r.presenter());
            case "request.auth.audiences" -> r.audiences();
            case "request.auth.claims" -> r.claims().getOrDefault(m.getPath(1).getKey(), List.of());
            default -> List.of();
        };
        ValueMatcher value = m.getValue();
        if (value.hasListMatch()) {
            return values.stream()
                    .anyMatch(v -> string(value.getListMatch().getOneOf().getStringMatch(), v));
        }
        return values.size() == 1 && string(value.getStringMatch(), values.get(0));
    }

    static boolean string(StringMatcher m, String value) {
        if (value == null) {
            return false;
        }
        boolean ignoreCase = m.getIgnoreCase();
        String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
        return switch (m.getMatchPatternCase()) {
            case EXACT -> v.equals(ignoreCase ? m.getExact().toLowerCase(Locale.ROOT) : m.getExact());
            case PREFIX -> v.startsWith(ignoreCase ? m.getPrefix().toLowerCase(Locale.ROOT) : m.getPrefix());
            case SUFFIX -> v.endsWith(ignoreCase ? m.getSuffix().toLowerCase(Locale.ROOT) : m.getSuffix());
            case CONTAINS -> v.contains(m.getContains());
            case SAFE_REGEX ->
                Pattern.compile(m.getSafeRegex().getRegex()).matcher(value).matches();
            default ->
                throw new IllegalArgumentException("string match kind not interpreted: " + m.getMatchPatternCase());
        };
    }

    private static boolean cidr(CidrRange range, String ip) {
        if (ip == null) {
            return false;
        }
        Optional<byte[]> address = IpBlocks.literal(ip);
        return address.isPresent()
                && IpBlocks.parse(range.getAddressPrefix() + "/"
                                + range.getPrefixLen().getValue())
                        .contains(address.get());
    }
}
