package dev.signet.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Namespace {@code shop} as the Kubernetes tests give it to the gRPC workloads: a service account and a Pod each for
 * payments, checkout and other, the Pods never scheduled and given the status a kubelet would report (running, at
 * the address the in-test workloads listen on), and service-account tokens as a pod would have them projected.
 */
final class ShopPods {

    static final List<String> ACCOUNTS = List.of("payments", "checkout", "other");

    private ShopPods() {}

    static void register(KubeApiServer kube, Path dir, int paymentsPort) throws Exception {
        kube.kubectl("create", "namespace", "shop").ok();
        StringBuilder yaml = new StringBuilder();
        for (String name : ACCOUNTS) {
            yaml.append(pod(name, paymentsPort));
            kube.kubectl("create", "serviceaccount", name, "-n", "shop").ok();
        }
        Path pods = dir.resolve("pods.yaml");
        Files.writeString(pods, yaml);
        kube.kubectl("apply", "-f", pods.toString()).ok();
        for (String name : ACCOUNTS) {
            kube.kubectl(
                            "patch",
                            "pod",
                            name,
                            "-n",
                            "shop",
                            "--subresource=status",
                            "--type=merge",
                            "-p",
                            "{\"status\":{\"phase\":\"Running\",\"podIP\":\"127.0.0.1\",\"podIPs\":[{\"ip\":\"127.0.0.1\"}]}}")
                    .ok();
        }
    }

    /** A Pod held back by a scheduling gate: on a cluster with a scheduler and kubelets it still never runs. */
    private static String pod(String name, int paymentsPort) {
        String port = name.equals("payments")
                ? "    ports: [{name: grpc-payments, containerPort: " + paymentsPort + "}]\n"
                : "";
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: shop, labels: {app: %s}}
                spec:
                  serviceAccountName: %s
                  schedulingGates: [{name: signet.dev/never-scheduled}]
                  containers:
                  - name: app
                    image: registry.invalid/%s:1
                %s---
                """.formatted(name, name, name, name, port);
    }

    /** A token of {@code account} for the CA's audience, in {@code DIR/ACCOUNT.token}. */
    static Path token(KubeApiServer kube, Path dir, String account) throws Exception {
        Path token = dir.resolve(account + ".token");
        Files.writeString(
                token,
                kube.kubectl("create", "token", account, "-n", "shop", "--audience", "signet-ca", "--duration", "1h")
                        .ok()
                        .out()
                        .trim());
        return token;
    }

    /** The bundle as a pod mounts it: the ConfigMap in its own namespace, in {@code file}. */
    static Path publishedRoot(KubeApiServer kube, Path file) throws Exception {
        Files.writeString(
                file,
                kube.eventually(
                        out -> out.contains("BEGIN CERTIFICATE"),
                        "get",
                        "configmap",
                        "signet-root-cert",
                        "-n",
                        "shop",
                        "-o",
                        "jsonpath={.data.root-cert\\.pem}"));
        return file;
    }
}
