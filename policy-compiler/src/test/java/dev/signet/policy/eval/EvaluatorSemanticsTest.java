package dev.signet.policy.eval;

import static dev.signet.policy.eval.SemanticsCase.allow;
import static dev.signet.policy.eval.SemanticsCase.deny;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.testing.Meshes;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Istio's documented semantics, row by row: every Source and Operation field and its not* form, every path form,
 * principals with '*', namespaces, ipBlocks, ports, when keys, the no-policy / empty-spec / rules:[{}] cases, DENY
 * beside ALLOW, AUDIT, CUSTOM, HTTP-only fields on TCP, and dry-run.
 */
class EvaluatorSemanticsTest {

    static final String CHECKOUT = "cluster.local/ns/shop/sa/checkout";
    static final String OTHER = "cluster.local/ns/shop/sa/other";
    static final String FRONTEND = "cluster.local/ns/web/sa/frontend";
    static final String MESH_ALLOWS_SHOP = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: mesh-allow, namespace: signet-system}
            spec:
              rules: [{from: [{source: {namespaces: ["shop"]}}]}]
            ---
            """;

    static String allowPolicy(String name, String rules) {
        return policy(name, "ALLOW", rules);
    }

    static String policy(String name, String action, String rules) {
        return """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: %s, namespace: shop}
                spec:
                  selector: {matchLabels: {app: payments}}
                  action: %s
                  rules:
                %s
                ---
                """.formatted(name, action, rules.indent(2).stripTrailing());
    }

    static Request.Builder http(String principal) {
        return Request.builder(8080)
                .from(principal)
                .method("GET")
                .path("/")
                .host("payments.shop")
                .sourceIp("10.0.0.5");
    }

    static Request.Builder tcp(String principal) {
        return Request.builder(9000).from(principal).sourceIp("10.0.0.5");
    }

    static Stream<SemanticsCase> cases() {
        String onlyCheckoutCharge = allowPolicy("charge", """
                - from: [{source: {principals: ["cluster.local/ns/shop/sa/checkout"]}}]
                  to: [{operation: {methods: ["POST"], paths: ["/charge"]}}]""");
        return Stream.of(
                allow("no policy: allow", "", http(OTHER).build(), null),
                deny("empty spec: deny all", """
                        apiVersion: security.istio.io/v1
                        kind: AuthorizationPolicy
                        metadata: {name: deny-all, namespace: shop}
                        spec: {}
                        ---
                        """, http(CHECKOUT).build(), null),
                deny("ALLOW with no rules: deny all", """
                        apiVersion: security.istio.io/v1
                        kind: AuthorizationPolicy
                        metadata: {name: nothing, namespace: shop}
                        spec: {action: ALLOW}
                        ---
                        """, http(CHECKOUT).build(), null),
                allow(
                        "rules: [{}] allows everything",
                        allowPolicy("all", "- {}"),
                        Request.builder(8080).plaintext().build(),
                        "shop/all"),
                allow(
                        "principal matches",
                        onlyCheckoutCharge,
                        http(CHECKOUT).method("POST").path("/charge").build(),
                        "shop/charge"),
                deny(
                        "other principal",
                        onlyCheckoutCharge,
                        http(OTHER).method("POST").path("/charge").build(),
                        null),
                deny(
                        "wrong method",
                        onlyCheckoutCharge,
                        http(CHECKOUT).method("GET").path("/charge").build(),
                        null),
                deny(
                        "wrong path",
                        onlyCheckoutCharge,
                        http(CHECKOUT).method("POST").path("/refund").build(),
                        null),
                deny(
                        "plaintext has no principal",
                        onlyCheckoutCharge,
                        Request.builder(8080)
                                .plaintext()
                                .method("POST")
                                .path("/charge")
                                .build(),
                        null),
                allow(
                        "query string is not part of the path",
                        onlyCheckoutCharge,
                        http(CHECKOUT).method("POST").path("/charge?x=1").build(),
                        "shop/charge"),
                allow(
                        "principal prefix *",
                        allowPolicy("p", "- from: [{source: {principals: [\"cluster.local/ns/shop/*\"]}}]"),
                        http(OTHER).build(),
                        "shop/p"),
                deny(
                        "principal prefix * other ns",
                        allowPolicy("p", "- from: [{source: {principals: [\"cluster.local/ns/shop/*\"]}}]"),
                        http(FRONTEND).build(),
                        null),
                allow(
                        "principal suffix *",
                        allowPolicy("p", "- from: [{source: {principals: [\"*/sa/frontend\"]}}]"),
                        http(FRONTEND).build(),
                        "shop/p"),
                allow(
                        "principal * is any authenticated",
                        allowPolicy("p", "- from: [{source: {principals: [\"*\"]}}]"),
                        http(FRONTEND).build(),
                        "shop/p"),
                deny(
                        "principal * refuses plaintext",
                        allowPolicy("p", "- from: [{source: {principals: [\"*\"]}}]"),
                        Request.builder(8080)
                                .plaintext()
                                .method("GET")
                                .path("/")
                                .build(),
                        null),
                deny(
                        "notPrincipals",
                        allowPolicy("p", "- from: [{source: {notPrincipals: [\"cluster.local/ns/shop/sa/other\"]}}]"),
                        http(OTHER).build(),
                        null),
                allow(
                        "notPrincipals admits the rest",
                        allowPolicy("p", "- from: [{source: {notPrincipals: [\"cluster.local/ns/shop/sa/other\"]}}]"),
                        http(CHECKOUT).build(),
                        "shop/p"),
                allow(
                        "namespaces",
                        allowPolicy("p", "- from: [{source: {namespaces: [\"web\"]}}]"),
                        http(FRONTEND).build(),
                        "shop/p"),
                deny(
                        "namespaces other",
                        allowPolicy("p", "- from: [{source: {namespaces: [\"web\"]}}]"),
                        http(CHECKOUT).build(),
                        null),
                allow(
                        "namespace prefix",
                        allowPolicy("p", "- from: [{source: {namespaces: [\"we*\"]}}]"),
                        http(FRONTEND).build(),
                        "shop/p"),
                deny(
                        "notNamespaces",
                        allowPolicy("p", "- from: [{source: {notNamespaces: [\"web\"]}}]"),
                        http(FRONTEND).build(),
                        null),
                allow(
                        "serviceAccounts",
                        allowPolicy("p", "- from: [{source: {serviceAccounts: [\"shop/checkout\"]}}]"),
                        http(CHECKOUT).build(),
                        "shop/p"),
                deny(
                        "serviceAccounts other",
                        allowPolicy("p", "- from: [{source: {serviceAccounts: [\"shop/checkout\"]}}]"),
                        http(OTHER).build(),
                        null),
                deny(
                        "notServiceAccounts",
                        allowPolicy("p", "- from: [{source: {notServiceAccounts: [\"shop/checkout\"]}}]"),
                        http(CHECKOUT).build(),
                        null),
                allow(
                        "ipBlocks CIDR",
                        allowPolicy("p", "- from: [{source: {ipBlocks: [\"10.0.0.0/24\"]}}]"),
                        http(OTHER).build(),
                        "shop/p"),
                deny(
                        "ipBlocks outside",
                        allowPolicy("p", "- from: [{source: {ipBlocks: [\"10.0.1.0/24\"]}}]"),
                        http(OTHER).build(),
                        null),
                deny(
                        "notIpBlocks",
                        allowPolicy("p", "- from: [{source: {notIpBlocks: [\"10.0.0.5\"]}}]"),
                        http(OTHER).build(),
                        null),
                allow(
                        "remoteIpBlocks use the remote address",
                        allowPolicy("p", "- from: [{source: {remoteIpBlocks: [\"192.168.1.0/24\"]}}]"),
                        http(OTHER).remoteIp("192.168.1.9").build(),
                        "shop/p"),
                deny(
                        "notRemoteIpBlocks",
                        allowPolicy("p", "- from: [{source: {notRemoteIpBlocks: [\"192.168.1.0/24\"]}}]"),
                        http(OTHER).remoteIp("192.168.1.9").build(),
                        null),
                allow(
                        "requestPrincipals",
                        allowPolicy("p", "- from: [{source: {requestPrincipals: [\"https://issuer/*\"]}}]"),
                        http(OTHER).requestPrincipal("https://issuer/alice").build(),
                        "shop/p"),
                deny(
                        "requestPrincipals absent",
                        allowPolicy("p", "- from: [{source: {requestPrincipals: [\"*\"]}}]"),
                        http(OTHER).build(),
                        null),
                deny(
                        "notRequestPrincipals",
                        allowPolicy("p", "- from: [{source: {notRequestPrincipals: [\"https://issuer/alice\"]}}]"),
                        http(OTHER).requestPrincipal("https://issuer/alice").build(),
                        null),
                allow(
                        "fields AND, values OR",
                        allowPolicy("p", """
                        - from: [{source: {principals: ["a/b", "cluster.local/ns/shop/sa/checkout"], ipBlocks: ["10.0.0.0/8"]}}]"""),
                        http(CHECKOUT).build(),
                        "shop/p"),
                deny(
                        "fields AND: one fails",
                        allowPolicy("p", """
                        - from: [{source: {principals: ["cluster.local/ns/shop/sa/checkout"], ipBlocks: ["11.0.0.0/8"]}}]"""),
                        http(CHECKOUT).build(),
                        null),
                allow(
                        "several from: one suffices",
                        allowPolicy("p", """
                        - from: [{source: {principals: ["x/y"]}}, {source: {namespaces: ["shop"]}}]"""),
                        http(CHECKOUT).build(),
                        "shop/p"),
                allow(
                        "hosts ignore case and port",
                        allowPolicy("p", "- to: [{operation: {hosts: [\"Payments.Shop\"]}}]"),
                        http(OTHER).host("payments.shop:8080").build(),
                        "shop/p"),
                allow(
                        "hosts suffix",
                        allowPolicy("p", "- to: [{operation: {hosts: [\"*.shop\"]}}]"),
                        http(OTHER).build(),
                        "shop/p"),
                deny(
                        "notHosts",
                        allowPolicy("p", "- to: [{operation: {notHosts: [\"payments.shop\"]}}]"),
                        http(OTHER).build(),
                        null),
                allow(
                        "ports",
                        allowPolicy("p", "- to: [{operation: {ports: [\"8080\"]}}]"),
                        http(OTHER).build(),
                        "shop/p"),
                deny(
                        "notPorts",
                        allowPolicy("p", "- to: [{operation: {notPorts: [\"8080\"]}}]"),
                        http(OTHER).build(),
                        null),
                deny(
                        "notMethods",
                        allowPolicy("p", "- to: [{operation: {notMethods: [\"GET\"]}}]"),
                        http(OTHER).build(),
                        null),
                allow(
                        "path prefix",
                        allowPolicy("p", "- to: [{operation: {paths: [\"/api/*\"]}}]"),
                        http(OTHER).path("/api/v1/x").build(),
                        "shop/p"),
                allow(
                        "path suffix",
                        allowPolicy("p", "- to: [{operation: {paths: [\"*.js\"]}}]"),
                        http(OTHER).path("/a/b.js").build(),
                        "shop/p"),
                allow(
                        "path any",
                        allowPolicy("p", "- to: [{operation: {paths: [\"*\"]}}]"),
                        http(OTHER).path("/x").build(),
                        "shop/p"),
                allow(
                        "path template {*}",
                        allowPolicy("p", "- to: [{operation: {paths: [\"/users/{*}/orders\"]}}]"),
                        http(OTHER).path("/users/42/orders").build(),
                        "shop/p"),
                deny(
                        "path template {*} is one segment",
                        allowPolicy("p", "- to: [{operation: {paths: [\"/users/{*}/orders\"]}}]"),
                        http(OTHER).path("/users/4/2/orders").build(),
                        null),
                allow(
                        "path template {**}",
                        allowPolicy("p", "- to: [{operation: {paths: [\"/files/{**}\"]}}]"),
                        http(OTHER).path("/files/a/b/c").build(),
                        "shop/p"),
                deny(
                        "path template {**} needs a segment",
                        allowPolicy("p", "- to: [{operation: {paths: [\"/files/{**}\"]}}]"),
                        http(OTHER).path("/files/").build(),
                        null),
                deny(
                        "notPaths",
                        allowPolicy("p", "- to: [{operation: {notPaths: [\"/admin*\"]}}]"),
                        http(OTHER).path("/admin/x").build(),
                        null),
                allow(
                        "when header",
                        allowPolicy("p", "- when: [{key: \"request.headers[X-Token]\", values: [\"abc*\"]}]"),
                        http(OTHER).headers(Map.of("x-token", "abc123")).build(),
                        "shop/p"),
                deny(
                        "when header notValues",
                        allowPolicy("p", "- when: [{key: \"request.headers[x-token]\", notValues: [\"bad\"]}]"),
                        http(OTHER).headers(Map.of("x-token", "bad")).build(),
                        null),
                allow(
                        "when header notValues, header absent",
                        allowPolicy("p", "- when: [{key: \"request.headers[x-token]\", notValues: [\"bad\"]}]"),
                        http(OTHER).build(),
                        "shop/p"),
                allow(
                        "when source.ip",
                        allowPolicy("p", "- when: [{key: source.ip, values: [\"10.0.0.0/16\"]}]"),
                        http(OTHER).build(),
                        "shop/p"),
                allow(
                        "when source.namespace",
                        allowPolicy("p", "- when: [{key: source.namespace, values: [\"web\"]}]"),
                        http(FRONTEND).build(),
                        "shop/p"),
                allow(
                        "when source.principal",
                        allowPolicy(
                                "p",
                                "- when: [{key: source.principal, values: [\"cluster.local/ns/shop/sa/checkout\"]}]"),
                        http(CHECKOUT).build(),
                        "shop/p"),
                allow(
                        "when destination.port",
                        allowPolicy("p", "- when: [{key: destination.port, values: [\"8080\"]}]"),
                        http(OTHER).build(),
                        "shop/p"),
                allow(
                        "when destination.ip",
                        allowPolicy("p", "- when: [{key: destination.ip, values: [\"10.1.0.0/16\"]}]"),
                        http(OTHER).destinationIp("10.1.2.3").build(),
                        "shop/p"),
                allow(
                        "when connection.sni",
                        allowPolicy("p", "- when: [{key: connection.sni, values: [\"*.shop.svc\"]}]"),
                        http(OTHER).sni("payments.shop.svc").build(),
                        "shop/p"),
                allow(
                        "when request.auth.claims",
                        allowPolicy("p", "- when: [{key: \"request.auth.claims[group]\", values: [\"admins\"]}]"),
                        http(OTHER)
                                .claims(Map.of("group", List.of("users", "admins")))
                                .build(),
                        "shop/p"),
                allow(
                        "when request.auth.audiences",
                        allowPolicy("p", "- when: [{key: request.auth.audiences, values: [\"api\"]}]"),
                        http(OTHER).audiences(List.of("api")).build(),
                        "shop/p"),
                deny("every when must hold", allowPolicy("p", """
                        - when: [{key: source.ip, values: ["10.0.0.0/8"]}, {key: destination.port, values: ["1"]}]"""), http(OTHER).build(), null),
                deny(
                        "DENY beside ALLOW wins",
                        allowPolicy("all", "- {}")
                                + policy(
                                        "no-other",
                                        "DENY",
                                        "- from: [{source: {principals: [\"cluster.local/ns/shop/sa/other\"]}}]"),
                        http(OTHER).build(),
                        "shop/no-other"),
                allow(
                        "DENY that does not match leaves ALLOW",
                        allowPolicy("all", "- {}")
                                + policy(
                                        "no-other",
                                        "DENY",
                                        "- from: [{source: {principals: [\"cluster.local/ns/shop/sa/other\"]}}]"),
                        http(CHECKOUT).build(),
                        "shop/all"),
                allow(
                        "AUDIT never decides",
                        policy("audit", "AUDIT", "- {}"),
                        http(OTHER).build(),
                        null),
                deny(
                        "CUSTOM fails closed",
                        policy("ext", "CUSTOM", "- to: [{operation: {paths: [\"/admin*\"]}}]")
                                .replace("action: CUSTOM", "action: CUSTOM\n  provider: {name: opa}"),
                        http(OTHER).path("/admin").build(),
                        "shop/ext"),
                allow(
                        "CUSTOM only denies what it matches",
                        policy("ext", "CUSTOM", "- to: [{operation: {paths: [\"/admin*\"]}}]")
                                .replace("action: CUSTOM", "action: CUSTOM\n  provider: {name: opa}"),
                        http(OTHER).path("/public").build(),
                        null),
                deny(
                        "TCP: ALLOW rule with HTTP field is dropped",
                        allowPolicy("p", "- to: [{operation: {methods: [\"GET\"]}}]"),
                        tcp(OTHER).build(),
                        null),
                allow(
                        "TCP: ALLOW rule without HTTP field applies",
                        allowPolicy("p", "- to: [{operation: {ports: [\"9000\"]}}]"),
                        tcp(OTHER).build(),
                        "shop/p"),
                deny(
                        "TCP: DENY drops only the HTTP field (wider)",
                        policy("d", "DENY", """
                        - from: [{source: {namespaces: ["shop"]}}]
                          to: [{operation: {methods: ["DELETE"]}}]"""),
                        tcp(OTHER).build(),
                        "shop/d"),
                allow(
                        "TCP: DENY keeps its other fields",
                        policy("d", "DENY", """
                        - from: [{source: {namespaces: ["web"]}}]
                          to: [{operation: {methods: ["DELETE"]}}]"""),
                        tcp(OTHER).build(),
                        null),
                deny(
                        "TCP: DENY with only an HTTP when denies all",
                        policy("d", "DENY", "- when: [{key: \"request.headers[x]\", values: [\"y\"]}]"),
                        tcp(OTHER).build(),
                        "shop/d"),
                allow(
                        "HTTP: the same DENY only denies DELETE",
                        policy("d", "DENY", """
                        - from: [{source: {namespaces: ["shop"]}}]
                          to: [{operation: {methods: ["DELETE"]}}]"""),
                        http(OTHER).build(),
                        null),
                allow(
                        "dry-run DENY does not deny",
                        policy("d", "DENY", "- {}")
                                .replace(
                                        "namespace: shop}",
                                        "namespace: shop, annotations: {istio.io/dry-run: 'true'}}"),
                        http(OTHER).build(),
                        null),
                allow(
                        "dry-run ALLOW does not start denying",
                        allowPolicy("a", "- from: [{source: {principals: [\"x/y\"]}}]")
                                .replace(
                                        "namespace: shop}",
                                        "namespace: shop, annotations: {signet.dev/dry-run: 'true'}}"),
                        http(OTHER).build(),
                        null),
                allow(
                        "root namespace policy applies mesh-wide",
                        MESH_ALLOWS_SHOP,
                        http(CHECKOUT).build(),
                        "signet-system/mesh-allow"),
                deny(
                        "root namespace ALLOW leaves others denied",
                        MESH_ALLOWS_SHOP,
                        http(FRONTEND).build(),
                        null),
                allow(
                        "a policy in another namespace does not apply",
                        """
                        apiVersion: security.istio.io/v1
                        kind: AuthorizationPolicy
                        metadata: {name: deny-all, namespace: web}
                        spec: {}
                        ---
                        """,
                        http(OTHER).build(),
                        null),
                allow(
                        "a selector for other labels does not apply",
                        allowPolicy("p", "- from: [{source: {principals: [\"x/y\"]}}]")
                                .replace("app: payments", "app: ledger"),
                        http(OTHER).build(),
                        null),
                allow("targetRefs Service selects by name", """
                        apiVersion: security.istio.io/v1
                        kind: AuthorizationPolicy
                        metadata: {name: svc, namespace: shop}
                        spec:
                          targetRefs: [{kind: Service, group: "", name: payments}]
                          rules: [{from: [{source: {principals: ["cluster.local/ns/shop/sa/checkout"]}}]}]
                        ---
                        """, http(CHECKOUT).build(), "shop/svc"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides_like_istio(SemanticsCase c) {
        MeshPolicies mesh = Meshes.mesh(Meshes.PAYMENTS + c.policies());
        Decision decision = new Evaluator(mesh).evaluate(Meshes.payments(mesh), c.request());
        assertThat(decision.allowed()).as(decision.reason()).isEqualTo(c.allowed());
        if (c.decidedBy() != null) {
            assertThat(decision.decidedBy()).as(decision.reason()).isPresent();
            assertThat(decision.decidedBy().get().policy()).isEqualTo(c.decidedBy());
        } else {
            assertThat(decision.decidedBy()).as(decision.reason()).isEmpty();
        }
    }
}
