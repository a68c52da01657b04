package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.operator.kubernetes.ClusterSource;
import dev.signet.policy.select.MeshPolicies;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cluster's mesh source against a real API server, changed with the real kubectl: what the mesh is built from
 * (a policy's spec, a Pod's labels and address) rebuilds it; a write of a status alone (the operator's own after every
 * change) does not, since at 20,000 objects a rebuild costs what a push in progress needs.
 */
@RealCluster
class ClusterSourceIT {

    @RegisterExtension
    static final KubeCluster cluster = KubeCluster.bare();

    private final List<MeshPolicies> meshes = new CopyOnWriteArrayList<>();

    private static final String POLICY = """
            apiVersion: security.signet.dev/v1
            kind: AuthorizationPolicy
            metadata: {name: charge, namespace: shop}
            spec:
              selector: {matchLabels: {app: payments}}
              rules: [{from: [{source: {principals: ["cluster.local/ns/shop/sa/%s"]}}]}]
            """;

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: payments, namespace: shop, labels: {app: payments}}
            spec:
              serviceAccountName: payments
              containers: [{name: app, image: payments, ports: [{containerPort: 8080, name: grpc}]}]
            """;

    @Test
    void spec_and_pod_changes_rebuild_the_mesh_and_status_writes_do_not() throws Exception {
        KubeApiServer kube = cluster.kube();
        kube.applyCrds();
        kube.kubectl("create", "namespace", "shop").ok();
        kube.kubectl("create", "serviceaccount", "payments", "-n", "shop").ok();
        kube.kubectl("apply", "-f", file("policy.yaml", POLICY.formatted("checkout")))
                .ok();
        kube.kubectl("apply", "-f", file("pod.yaml", POD)).ok();
        KubernetesClient client = cluster.closeAfter(kube.adminClient());
        ScheduledExecutorService rebuilds = Executors.newSingleThreadScheduledExecutor();
        cluster.closeAfter(rebuilds::shutdownNow);
        ClusterSource source = new ClusterSource(client, MeshPolicies.DEFAULT_ROOT_NAMESPACE);
        cluster.closeAfter(source::close);
        source.start(meshes::add, rebuilds);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(source::ready);
        int settled = settledCount();

        kube.kubectl(
                        "patch",
                        "authorizationpolicy",
                        "charge",
                        "-n",
                        "shop",
                        "--subresource=status",
                        "--type=merge",
                        "-p",
                        "{\"status\":{\"observedGeneration\":1}}")
                .ok();
        kube.kubectl(
                        "patch",
                        "pod",
                        "payments",
                        "-n",
                        "shop",
                        "--subresource=status",
                        "--type=merge",
                        "-p",
                        "{\"status\":{\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"False\"}]}}")
                .ok();
        kube.kubectl("apply", "-f", file("policy.yaml", POLICY.formatted("orders")))
                .ok();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> lastPolicy().contains("sa/orders"));
        assertThat(meshes)
                .as("one rebuild, for the spec's change; none for the two status writes before it")
                .hasSize(settled + 1);

        kube.kubectl("label", "pod", "payments", "-n", "shop", "tier=backend").ok();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> meshes.size() == settled + 2
                        && lastMesh()
                                .workload("shop/payments")
                                .orElseThrow()
                                .metadata()
                                .labels()
                                .containsKey("tier"));
    }

    /** The rebuilds so far, once none has come for a while: the informers' initial lists are done. */
    private int settledCount() throws InterruptedException {
        int count;
        do {
            count = meshes.size();
            Thread.sleep(500);
        } while (meshes.size() != count);
        return count;
    }

    private MeshPolicies lastMesh() {
        return meshes.get(meshes.size() - 1);
    }

    private String lastPolicy() {
        return lastMesh().authorizationPolicy("shop", "charge").spec().toString();
    }

    private static String file(String name, String yaml) throws Exception {
        Path file = cluster.dir().resolve(name);
        Files.writeString(file, yaml);
        return file.toString();
    }
}
