package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code signet inject} as packaged, its output judged by a real API server: what it writes is a valid native
 * sidecar (an init container with {@code restartPolicy: Always}), stored as written.
 */
@RealCluster
class InjectIT {

    @RegisterExtension
    static final KubeCluster cluster = KubeCluster.bare();

    static Path dir;
    static KubeApiServer kube;

    static final String APP = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: checkout, namespace: shop}
            spec:
              selector: {matchLabels: {app: checkout}}
              template:
                metadata: {labels: {app: checkout}}
                spec:
                  serviceAccountName: checkout
                  containers:
                  - {name: app, image: shop/checkout:1, ports: [{name: grpc, containerPort: 8080}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: checkout, namespace: shop}
            spec: {selector: {app: checkout}, ports: [{name: grpc, port: 8080}]}
            """;

    @BeforeAll
    static void start() throws Exception {
        dir = cluster.dir();
        kube = cluster.kube();
        kube.kubectl("create", "namespace", "shop").ok();
    }

    @Test
    void the_injected_deployment_is_stored_with_its_native_sidecar() throws Exception {
        Path manifest = dir.resolve("checkout.yaml");
        Files.writeString(manifest, APP);
        SignetProcess.Result injected =
                SignetProcess.run(dir, "inject", "-f", manifest.toString(), "--image", "localhost/signet:test");
        assertThat(injected.exitCode()).as(injected.err()).isZero();
        assertThat(injected.err())
                .contains("injected Deployment shop/checkout", "skipped  Service shop/checkout: no pod template")
                .contains("1 of 2 document(s) injected");
        Path output = dir.resolve("checkout-injected.yaml");
        Files.writeString(output, injected.out());

        kube.kubectl("apply", "--dry-run=server", "-f", output.toString()).ok();
        kube.kubectl("apply", "-f", output.toString()).ok();
        String stored = kube.kubectl(
                        "get",
                        "deployment",
                        "checkout",
                        "-n",
                        "shop",
                        "-o",
                        "jsonpath={.spec.template.spec.initContainers[0].name} "
                                + "{.spec.template.spec.initContainers[0].restartPolicy} "
                                + "{.spec.template.spec.volumes[0].projected.sources[0].serviceAccountToken.audience}")
                .ok()
                .out();
        assertThat(stored).isEqualTo("signet-agent Always signet-ca");
    }

    @Test
    void standard_input_in_and_a_second_pass_changes_nothing() throws Exception {
        SignetProcess.Result once = SignetProcess.runWithInput(dir, APP, "inject", "-f", "-");
        assertThat(once.exitCode()).as(once.err()).isZero();
        SignetProcess.Result twice = SignetProcess.runWithInput(dir, once.out(), "inject", "-f", "-");
        assertThat(twice.exitCode()).as(twice.err()).isZero();
        assertThat(twice.out()).isEqualTo(once.out());
    }

    @Test
    void a_manifest_that_is_not_yaml_is_refused_and_nothing_is_written() throws Exception {
        SignetProcess.Result refused =
                SignetProcess.runWithInput(dir, "kind: Deployment\nspec: [\n", "inject", "-f", "-");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).contains("not valid YAML");
    }
}
