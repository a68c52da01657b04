package dev.signet.benchmarks.policy;

/**
 * A mesh as YAML: {@code namespaces} namespaces of {@code workloadsPerNamespace} workloads each (labels app, tier,
 * version; HTTP, gRPC and some TCP ports) and ten AuthorizationPolicies per namespace of every action and shape;
 * ten of the policies sit in the root namespace instead.
 */
final class SyntheticMesh {

    private SyntheticMesh() {}

    static String yaml(int namespaces, int workloadsPerNamespace) {
        StringBuilder out = new StringBuilder(namespaces * workloadsPerNamespace * 900);
        for (int n = 0; n < namespaces; n++) {
            String ns = namespace(n);
            for (int w = 0; w < workloadsPerNamespace; w++) {
                out.append("apiVersion: security.signet.dev/v1\nkind: Workload\nmetadata: {name: w")
                        .append(w)
                        .append(", namespace: ")
                        .append(ns)
                        .append(", labels: {app: w")
                        .append(w)
                        .append(", tier: t")
                        .append(w % 3)
                        .append(", version: v")
                        .append(w % 2)
                        .append("}}\n")
                        .append("spec:\n  serviceAccount: w")
                        .append(w)
                        .append("\n  ports: [{port: 8080, protocol: HTTP}, ")
                        .append("{port: 9090, protocol: GRPC}")
                        .append(w % 5 == 0 ? ", {port: 5432, protocol: TCP}" : "")
                        .append("]\n---\n");
            }
            boolean root = n == 0;
            for (int p = 0; p < 10; p++) {
                out.append(policy(root ? "signet-system" : ns, n, p, namespaces));
            }
        }
        return out.toString();
    }

    static String namespace(int n) {
        return String.format("ns-%04d", n);
    }

    static String policy(String ns, int n, int p, int namespaces) {
        String name = "p" + p;
        String header = "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: " + name
                + ", namespace: " + ns + "}\nspec:\n";
        String body = switch (p) {
            case 0 ->
                "  rules:\n  - from: [{source: {namespaces: [\"" + namespace((n + 1) % namespaces) + "\"]}}]\n"
                        + "    to: [{operation: {methods: [GET], paths: [\"/api/*\"]}}]\n";
            case 7 ->
                "  selector: {matchLabels: {tier: t1}}\n  action: DENY\n  rules:\n  - to: [{operation: {methods: [DELETE]}}]\n";
            case 8 -> "  selector: {matchLabels: {version: v0}}\n  action: AUDIT\n  rules: [{}]\n";
            case 9 ->
                "  selector: {matchLabels: {app: w9}}\n  rules:\n  - when: [{key: \"request.headers[x-tenant]\", values: [\"t-"
                        + n + "\"]}]\n";
            default ->
                "  selector: {matchLabels: {app: w" + p + "}}\n  rules:\n"
                        + "  - from: [{source: {principals: [\"cluster.local/ns/" + ns + "/sa/w" + (p + 1) + "\"]}}]\n"
                        + "    to: [{operation: {methods: [POST], paths: [\"/charge\", \"/users/{*}/orders\"]}}]\n"
                        + "  - from: [{source: {ipBlocks: [\"10." + (n % 250) + ".0.0/16\"]}}]\n"
                        + "    to: [{operation: {ports: [\"9090\"]}}]\n";
        };
        return header + body + "---\n";
    }
}
