package dev.signet.policy.compile;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.signet.policy.eval.Request;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an Envoy-like proxy does with a compiled workload: pick the listener by port and the filter chain by
 * transport, refuse plaintext on a TLS-only chain, then run the RBAC filters in order (DENY: a matching policy
 * denies; ALLOW: no matching policy denies; LOG: never denies).
 */
final class ListenerSimulator {

    private ListenerSimulator() {}

    static boolean allows(CompiledWorkload compiled, Request request) {
        Optional<Listener> listener = compiled.listeners().stream()
                .filter(l -> l.getAddress().getSocketAddress().getPortValue() == request.port())
                .findFirst();
        if (listener.isEmpty()) {
            return false;
        }
        FilterChain chain = chooseChain(listener.get(), request.tls());
        if (chain == null) {
            return false;
        }
        boolean terminatesTls = chain.hasTransportSocket();
        if (terminatesTls && !request.tls()) {
            return false;
        }
        String principal = terminatesTls ? request.peerPrincipal() : null;
        for (RBAC rules : rbacRules(chain)) {
            boolean matched = rules.getPoliciesMap().values().stream()
                    .anyMatch(policy -> RbacInterpreter.matches(policy, request, principal));
            if (rules.getAction() == RBAC.Action.DENY && matched) {
                return false;
            }
            if (rules.getAction() == RBAC.Action.ALLOW && !matched) {
                return false;
            }
        }
        return true;
    }

    private static FilterChain chooseChain(Listener listener, boolean tls) {
        String wanted = tls ? "tls" : "raw_buffer";
        for (FilterChain chain : listener.getFilterChainsList()) {
            String protocol = chain.getFilterChainMatch().getTransportProtocol();
            if (protocol.isEmpty() || protocol.equals(wanted)) {
                return chain;
            }
        }
        return null;
    }

    /** The enforced rule sets of the chain's RBAC filters, in filter order. */
    static List<RBAC> rbacRules(FilterChain chain) {
        List<RBAC> rules = new ArrayList<>();
        try {
            for (Filter filter : chain.getFiltersList()) {
                Any config = filter.getTypedConfig();
                if (config.is(HttpConnectionManager.class)) {
                    for (HttpFilter http :
                            config.unpack(HttpConnectionManager.class).getHttpFiltersList()) {
                        if (http.getTypedConfig().is(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class)) {
                            var rbac = http.getTypedConfig()
                                    .unpack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class);
                            if (rbac.hasRules()) {
                                rules.add(rbac.getRules());
                            }
                        }
                    }
                } else if (config.is(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class)) {
                    var rbac = config.unpack(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class);
                    if (rbac.hasRules()) {
                        rules.add(rbac.getRules());
                    }
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
        return rules;
    }
}
