package dev.signet.cli.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.signet.controlplane.inject.InjectionSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the injection adds to a pod, what it leaves alone, and that a second pass changes nothing. */
class InjectTest {

    private static final InjectionSettings SETTINGS =
            new InjectionSettings("registry.example/signet:1.0", "signet.signet-system.svc:15012", "signet-ca");
    private final ManifestInjector injector = new ManifestInjector(SETTINGS);
    private final ObjectMapper yaml = new YAMLMapper();

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: payments, namespace: shop}
            spec:
              selector: {matchLabels: {app: payments}}
              template:
                metadata: {labels: {app: payments}}
                spec:
                  serviceAccountName: payments
                  containers:
                  - name: app
                    image: shop/payments:1
                    env: [{name: MODE, value: prod}]
                    ports: [{name: grpc-charge, containerPort: 8080}]
            """;

    @Test
    void a_deployment_gets_the_agent_as_a_native_sidecar_that_starts_first() throws Exception {
        ManifestInjector.Result result = injector.inject(DEPLOYMENT);
        assertThat(result.injected()).isEqualTo(1);
        JsonNode pod = yaml.readTree(result.yaml()).path("spec").path("template");
        JsonNode agent = pod.path("spec").path("initContainers").get(0);
        assertThat(agent.path("name").asText()).isEqualTo("signet-agent");
        assertThat(agent.path("restartPolicy").asText()).isEqualTo("Always");
        assertThat(agent.path("image").asText()).isEqualTo("registry.example/signet:1.0");
        assertThat(texts(agent.path("args")))
                .containsExactly(
                        "agent",
                        "--ca-address=signet.signet-system.svc:15012",
                        "--ca-root=/var/run/signet/root/root-cert.pem",
                        "--token-file=/var/run/signet/token/token",
                        "--out=/var/run/signet/certs",
                        "--workload=$(POD_NAMESPACE)/$(POD_NAME)");
        assertThat(texts(agent.path("startupProbe").path("exec").path("command")))
                .containsExactly("test", "-e", "/var/run/signet/certs/cert-chain.pem");

        JsonNode token = volume(pod, "signet-token")
                .path("projected")
                .path("sources")
                .get(0)
                .path("serviceAccountToken");
        assertThat(token.path("audience").asText()).isEqualTo("signet-ca");
        assertThat(volume(pod, "signet-root").path("configMap").path("name").asText())
                .isEqualTo("signet-root-cert");
        assertThat(volume(pod, "signet-certs").path("emptyDir").path("medium").asText())
                .isEqualTo("Memory");

        JsonNode app = pod.path("spec").path("containers").get(0);
        assertThat(app.path("volumeMounts").get(0).path("mountPath").asText()).isEqualTo("/var/run/signet/certs");
        assertThat(app.path("volumeMounts").get(0).path("readOnly").asBoolean()).isTrue();
        assertThat(texts(app.path("env"), "name")).containsExactly("MODE", "GRPC_XDS_BOOTSTRAP");
        assertThat(pod.path("metadata")
                        .path("annotations")
                        .path("signet.dev/injected")
                        .asText())
                .isEqualTo("registry.example/signet:1.0");
        assertThat(pod.path("metadata").path("labels").path("app").asText()).isEqualTo("payments");
    }

    @Test
    void a_pod_that_asks_for_the_workload_api_gets_the_socket_in_a_folder_of_its_own() throws Exception {
        String asking = DEPLOYMENT.replace(
                "metadata: {labels: {app: payments}}",
                "metadata: {labels: {app: payments}, annotations: {signet.dev/workload-api: \"true\"}}");
        JsonNode pod =
                yaml.readTree(injector.inject(asking).yaml()).path("spec").path("template");
        JsonNode agent = pod.path("spec").path("initContainers").get(0);
        assertThat(texts(agent.path("args")))
                .contains("--workload-api=unix:///var/run/signet/workload-api/agent.sock", "--workload-api-mode=0666");
        assertThat(texts(agent.path("volumeMounts"), "mountPath")).contains("/var/run/signet/workload-api");
        assertThat(volume(pod, "signet-workload-api")
                        .path("emptyDir")
                        .path("medium")
                        .asText())
                .isEqualTo("Memory");
        JsonNode app = pod.path("spec").path("containers").get(0);
        assertThat(texts(app.path("volumeMounts"), "mountPath"))
                .containsExactly("/var/run/signet/certs", "/var/run/signet/workload-api");
        assertThat(texts(app.path("env"), "name"))
                .containsExactly("MODE", "GRPC_XDS_BOOTSTRAP", "SPIFFE_ENDPOINT_SOCKET");
        assertThat(injector.inject(injector.inject(asking).yaml()).yaml())
                .isEqualTo(injector.inject(asking).yaml());

        JsonNode plain =
                yaml.readTree(injector.inject(DEPLOYMENT).yaml()).path("spec").path("template");
        assertThat(texts(plain.path("spec").path("initContainers").get(0).path("args")))
                .noneMatch(arg -> arg.startsWith("--workload-api"));
    }

    @Test
    void injecting_twice_changes_nothing() throws Exception {
        String once = injector.inject(DEPLOYMENT).yaml();
        assertThat(injector.inject(once).yaml()).isEqualTo(once);
    }

    @Test
    void other_documents_pass_through_and_opted_out_or_host_network_pods_are_left_alone() throws Exception {
        String manifest = """
                apiVersion: v1
                kind: Service
                metadata: {name: payments, namespace: shop}
                spec: {ports: [{port: 8080}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: legacy, namespace: shop, annotations: {signet.dev/inject: "false"}}
                spec: {containers: [{name: app, image: legacy:1}]}
                ---
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: report, namespace: shop}
                spec:
                  schedule: "@daily"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          restartPolicy: OnFailure
                          containers: [{name: job, image: report:1}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: node-agent, namespace: shop}
                spec: {hostNetwork: true, containers: [{name: app, image: node:1}]}
                """;
        ManifestInjector.Result result = injector.inject(manifest);
        assertThat(result.outcomes())
                .extracting(ManifestInjector.Outcome::resource, ManifestInjector.Outcome::injected)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Service shop/payments", false),
                        org.assertj.core.groups.Tuple.tuple("Pod shop/legacy", false),
                        org.assertj.core.groups.Tuple.tuple("CronJob shop/report", true),
                        org.assertj.core.groups.Tuple.tuple("Pod shop/node-agent", false));
        List<JsonNode> documents = new ArrayList<>();
        yaml.readerFor(JsonNode.class).readValues(result.yaml()).forEachRemaining(d -> documents.add((JsonNode) d));
        assertThat(documents).hasSize(4);
        assertThat(documents.get(0)).isEqualTo(yaml.readTree(manifest.split("---")[0]));
        assertThat(documents.get(1).path("spec").has("initContainers")).isFalse();
        assertThat(documents
                        .get(2)
                        .path("spec")
                        .path("jobTemplate")
                        .path("spec")
                        .path("template")
                        .path("spec")
                        .path("initContainers")
                        .get(0)
                        .path("name")
                        .asText())
                .isEqualTo("signet-agent");
        assertThat(result.outcomes().get(3).reason()).contains("hostNetwork");
    }

    @Test
    void input_that_is_not_yaml_is_refused_with_its_line() {
        assertThatThrownBy(() -> injector.inject("kind: Pod\nspec: {containers: [\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid YAML")
                .hasMessageContaining("line");
    }

    private static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode volume : pod.path("spec").path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name + " in " + pod);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.asText()));
        return out;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.path(field).asText()));
        return out;
    }
}
