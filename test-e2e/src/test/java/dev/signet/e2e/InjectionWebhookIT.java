package dev.signet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admission webhook as the real API server calls it: the chart's MutatingWebhookConfiguration (its selectors and
 * failure policy), the packaged control plane answering on its HTTPS port with a certificate from its own CA, and
 * the caBundle the leader keeps current, through a root rotation. The API server here runs without kube-proxy, so
 * the webhooks are pointed at the replica's address instead of the Service ({@code RealNodeIT} calls through the
 * Service, with real Pods).
 */
@RealCluster
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InjectionWebhookIT {

    private static final String CONFIGURATION = "signet-injector-signet-system";
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @RegisterExtension
    static final KubeCluster cluster = KubeCluster.withChart();

    static KubeApiServer kube;
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        kube = cluster.kube();
        dir = cluster.dir();
        int webhookPort = SignetProcess.freePort();
        cluster.closeAfter(OperatorProcess.start(
                dir,
                cluster.kubeconfig(),
                "webhook-e2e",
                "--injection-webhook-port",
                String.valueOf(webhookPort),
                "--injection-webhook-configuration",
                CONFIGURATION,
                "--injection-image",
                "example.test/signet:e2e",
                "--rotation-settle",
                "2s"));
        // Replacing the clientConfig empties its caBundle too: the leader must write it again.
        String url = "https://localhost:" + webhookPort + "/inject";
        kube.kubectl(
                        "patch",
                        "mutatingwebhookconfiguration",
                        CONFIGURATION,
                        "--type=json",
                        "-p",
                        "[{\"op\":\"replace\",\"path\":\"/webhooks/0/clientConfig\",\"value\":{\"url\":\"" + url
                                + "\"}},{\"op\":\"replace\",\"path\":\"/webhooks/1/clientConfig\",\"value\":{\"url\":\""
                                + url + "\"}}]")
                .ok();
        awaitCaBundleWith(1);
        kube.kubectl("create", "namespace", "injected").ok();
        kube.kubectl("label", "namespace", "injected", "signet.dev/inject=enabled")
                .ok();
        kube.kubectl("create", "namespace", "plain").ok();
        // No controller-manager here to make each namespace's default service account, which pods need.
        for (String namespace : new String[] {"injected", "plain", "signet-system"}) {
            kube.kubectl("create", "serviceaccount", "default", "-n", namespace).ok();
        }
    }

    @Test
    @Order(1)
    void pods_of_a_labelled_namespace_get_the_agent_as_a_native_sidecar() throws Exception {
        createPod("injected", "payments", "");
        String agent = "{.spec.initContainers[0]";
        assertThat(pod("injected", "payments", agent + ".name}")).isEqualTo("signet-agent");
        assertThat(pod("injected", "payments", agent + ".restartPolicy}")).isEqualTo("Always");
        assertThat(pod("injected", "payments", agent + ".image}")).isEqualTo("example.test/signet:e2e");
        assertThat(pod("injected", "payments", agent + ".args}"))
                .contains("--ca-address=signet.signet-system.svc:", "--workload=$(POD_NAMESPACE)/$(POD_NAME)");
        assertThat(
                        pod(
                                "injected",
                                "payments",
                                "{.spec.volumes[?(@.name==\"signet-token\")].projected.sources[0].serviceAccountToken.audience}"))
                .isEqualTo("signet-ca");
        assertThat(pod("injected", "payments", "{.spec.containers[0].env[?(@.name==\"GRPC_XDS_BOOTSTRAP\")].value}"))
                .isEqualTo("/var/run/signet/certs/grpc-bootstrap.json");
        assertThat(pod("injected", "payments", "{.metadata.annotations.signet\\.dev/injected}"))
                .isEqualTo("example.test/signet:e2e");
    }

    @Test
    @Order(2)
    void only_labelled_namespaces_and_labelled_pods_are_injected() throws Exception {
        createPod("injected", "opted-out", "signet.dev/inject: disabled");
        createPod("plain", "unlabelled", "");
        createPod("plain", "labelled", "signet.dev/inject: enabled");
        createPod("signet-system", "own", "signet.dev/inject: enabled");
        assertThat(pod("injected", "opted-out", "{.spec.initContainers}")).isEmpty();
        assertThat(pod("plain", "unlabelled", "{.spec.initContainers}")).isEmpty();
        assertThat(pod("plain", "labelled", "{.spec.initContainers[0].name}")).isEqualTo("signet-agent");
        assertThat(pod("signet-system", "own", "{.spec.initContainers}")).isEmpty();
    }

    @Test
    @Order(3)
    void the_ca_bundle_follows_a_root_rotation_and_injection_goes_on_throughout() throws Exception {
        Path rotation = dir.resolve("rotation.yaml");
        Files.writeString(rotation, """
                apiVersion: security.signet.dev/v1
                kind: RootRotation
                metadata: {name: webhook-rotation}
                spec:
                  newRoot: {generate: {algorithm: ec-p256, validity: 3650d}}
                """);
        kube.kubectl("apply", "-f", rotation.toString()).ok();
        // PREPARE: the new root joins the bundle, and the caBundle, before anything is signed under it.
        awaitCaBundleWith(2);
        // ACTIVATE: the webhook's certificate now chains to the new root, which the API server was given already.
        awaitPhase("Activate");
        Thread.sleep(2_000); // the serving certificate is renewed within a second of the new signer
        createPod("injected", "during-rotation", "");
        assertThat(pod("injected", "during-rotation", "{.spec.initContainers[0].name}"))
                .isEqualTo("signet-agent");
        awaitPhase("Complete");
        awaitCaBundleWith(1);
        createPod("injected", "after-rotation", "");
        assertThat(pod("injected", "after-rotation", "{.spec.initContainers[0].name}"))
                .isEqualTo("signet-agent");
    }

    private static void awaitPhase(String phase) throws Exception {
        kube.eventually(
                PATIENCE, phase::equals, "get", "rootrotation", "webhook-rotation", "-o", "jsonpath={.status.phase}");
    }

    /** Waits until both webhooks' caBundle holds {@code roots} certificates, the same in each. */
    private static void awaitCaBundleWith(int roots) throws Exception {
        kube.eventually(
                PATIENCE,
                out -> {
                    String[] bundles = out.trim().split(" ");
                    return bundles.length == 2 && bundles[0].equals(bundles[1]) && certificates(bundles[0]) == roots;
                },
                "get",
                "mutatingwebhookconfiguration",
                CONFIGURATION,
                "-o",
                "jsonpath={.webhooks[*].clientConfig.caBundle}");
    }

    private static int certificates(String base64) {
        if (base64.isBlank()) {
            return 0;
        }
        try {
            return CertificateFactory.getInstance("X.509")
                    .generateCertificates(
                            new ByteArrayInputStream(Base64.getDecoder().decode(base64)))
                    .size();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void createPod(String namespace, String name, String labels) throws Exception {
        Path file = dir.resolve(namespace + "-" + name + ".yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  namespace: %s
                  labels: {%s}
                spec:
                  containers:
                  - name: app
                    image: example.test/app:1
                """.formatted(name, namespace, labels));
        kube.kubectl("apply", "-f", file.toString()).ok();
    }

    private static String pod(String namespace, String name, String jsonPath) throws Exception {
        return kube.kubectl("get", "pod", name, "-n", namespace, "-o", "jsonpath=" + jsonPath)
                .ok()
                .out()
                .trim();
    }
}
