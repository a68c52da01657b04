package dev.signet.controlplane.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Adds the agent to one pod template (its metadata and spec): a native sidecar (an init container that keeps running,
 * Kubernetes 1.29 and later) that starts before the application's containers and reports started once the
 * certificate files exist, so the application never starts without its identity. The token is projected for the
 * CA's audience, the trust bundle comes from the {@code signet-root-cert} ConfigMap, and the files go to a memory
 * folder that every application container mounts read-only, with {@code GRPC_XDS_BOOTSTRAP} pointing at the gRPC
 * bootstrap the agent writes. A pod annotated {@code signet.dev/workload-api: "true"} also gets the SPIFFE Workload API
 * and Envoy SDS: the agent serves them on a socket in a memory folder of the pod's own, which every application
 * container mounts, with {@code SPIFFE_ENDPOINT_SOCKET} (read by go-spiffe and java-spiffe) pointing at it. Injecting
 * twice changes nothing.
 */
public final class SidecarInjector {

    /** A pod (or pod template) with this annotation set to {@code "false"} is left alone. */
    public static final String INJECT_ANNOTATION = "signet.dev/inject";
    /** Set on what was injected: the agent's image. */
    public static final String INJECTED_ANNOTATION = "signet.dev/injected";

    public static final String CONTAINER = "signet-agent";
    public static final String CERTS = "/var/run/signet/certs";
    public static final String TOKEN = "/var/run/signet/token";
    public static final String ROOT = "/var/run/signet/root";
    /** A pod with this annotation set to {@code "true"} also gets the Workload API and SDS socket. */
    public static final String WORKLOAD_API_ANNOTATION = "signet.dev/workload-api";

    public static final String WORKLOAD_API = "/var/run/signet/workload-api";
    public static final String WORKLOAD_API_SOCKET = "unix://" + WORKLOAD_API + "/agent.sock";
    private static final int TOKEN_SECONDS = 3600;

    private final InjectionSettings settings;
    private final JsonNodeFactory json = JsonNodeFactory.instance;

    public SidecarInjector(InjectionSettings settings) {
        this.settings = settings;
    }

    /** Why a pod template is not injected, or empty when it was (or already had been). */
    public Optional<String> inject(ObjectNode metadata, ObjectNode spec) {
        JsonNode optOut = metadata.path("annotations").path(INJECT_ANNOTATION);
        if (optOut.isTextual() && optOut.asText().equals("false")) {
            return Optional.of("annotation " + INJECT_ANNOTATION + ": \"false\"");
        }
        if (spec.path("hostNetwork").asBoolean(false)) {
            return Optional.of("hostNetwork pods share the node's network identity");
        }
        if (hasNamed(spec.path("initContainers"), CONTAINER)) {
            return Optional.empty(); // already injected
        }
        ArrayNode volumes = array(spec, "volumes");
        volumes.add(tokenVolume());
        volumes.add(json.objectNode()
                .put("name", "signet-root")
                .set("configMap", json.objectNode().put("name", "signet-root-cert")));
        volumes.add(json.objectNode()
                .put("name", "signet-certs")
                .set("emptyDir", json.objectNode().put("medium", "Memory")));
        volumes.add(json.objectNode().put("name", "signet-tmp").set("emptyDir", json.objectNode()));
        JsonNode wanted = metadata.path("annotations").path(WORKLOAD_API_ANNOTATION);
        boolean workloadApi = wanted.isTextual() && wanted.asText().equals("true");
        if (workloadApi) {
            volumes.add(json.objectNode()
                    .put("name", "signet-workload-api")
                    .set("emptyDir", json.objectNode().put("medium", "Memory")));
        }
        array(spec, "initContainers").insert(0, agent(workloadApi));
        for (JsonNode container : spec.path("containers")) {
            if (container instanceof ObjectNode app) {
                mount(app, "signet-certs", CERTS);
                setIfAbsent(app, "GRPC_XDS_BOOTSTRAP", CERTS + "/grpc-bootstrap.json");
                if (workloadApi) {
                    mount(app, "signet-workload-api", WORKLOAD_API);
                    setIfAbsent(app, "SPIFFE_ENDPOINT_SOCKET", WORKLOAD_API_SOCKET);
                }
            }
        }
        object(metadata, "annotations").put(INJECTED_ANNOTATION, settings.image());
        return Optional.empty();
    }

    private void mount(ObjectNode container, String volume, String path) {
        array(container, "volumeMounts")
                .add(json.objectNode()
                        .put("name", volume)
                        .put("mountPath", path)
                        .put("readOnly", true));
    }

    private void setIfAbsent(ObjectNode container, String name, String value) {
        ArrayNode env = array(container, "env");
        if (!hasNamed(env, name)) {
            env.add(json.objectNode().put("name", name).put("value", value));
        }
    }

    private ObjectNode tokenVolume() {
        ObjectNode token = json.objectNode()
                .put("audience", settings.audience())
                .put("expirationSeconds", TOKEN_SECONDS)
                .put("path", "token");
        ObjectNode projected = json.objectNode();
        projected.putArray("sources").addObject().set("serviceAccountToken", token);
        return json.objectNode().put("name", "signet-token").set("projected", projected);
    }

    private ObjectNode agent(boolean workloadApi) {
        ObjectNode agent = json.objectNode()
                .put("name", CONTAINER)
                .put("image", settings.image())
                .put("restartPolicy", "Always");
        ArrayNode args = agent.putArray("args");
        args.add("agent")
                .add("--ca-address=" + settings.controlPlane())
                .add("--ca-root=" + ROOT + "/root-cert.pem")
                .add("--token-file=" + TOKEN + "/token")
                .add("--out=" + CERTS)
                // Expanded by the kubelet from the env below: the workload is the pod, as the operator models it.
                .add("--workload=$(POD_NAMESPACE)/$(POD_NAME)");
        if (workloadApi) {
            // The folder is this pod's own emptyDir, so the socket may be open to whichever user its containers run as.
            args.add("--workload-api=" + WORKLOAD_API_SOCKET).add("--workload-api-mode=0666");
        }
        ArrayNode env = agent.putArray("env");
        env.add(fieldRef("POD_NAME", "metadata.name"));
        env.add(fieldRef("POD_NAMESPACE", "metadata.namespace"));
        // The root filesystem is read-only: gRPC's Netty unpacks its native transport into /tmp.
        env.addObject()
                .put("name", "JAVA_TOOL_OPTIONS")
                .put("value", "-XX:MaxRAMPercentage=50 -XX:TieredStopAtLevel=1");
        ArrayNode mounts = agent.putArray("volumeMounts");
        mounts.addObject().put("name", "signet-token").put("mountPath", TOKEN).put("readOnly", true);
        mounts.addObject().put("name", "signet-root").put("mountPath", ROOT).put("readOnly", true);
        mounts.addObject().put("name", "signet-certs").put("mountPath", CERTS);
        mounts.addObject().put("name", "signet-tmp").put("mountPath", "/tmp");
        if (workloadApi) {
            mounts.addObject().put("name", "signet-workload-api").put("mountPath", WORKLOAD_API);
        }
        ObjectNode probe = agent.putObject("startupProbe");
        probe.putObject("exec").putArray("command").add("test").add("-e").add(CERTS + "/cert-chain.pem");
        probe.put("periodSeconds", 1).put("failureThreshold", 120);
        ObjectNode security = agent.putObject("securityContext");
        security.put("allowPrivilegeEscalation", false)
                .put("readOnlyRootFilesystem", true)
                .put("runAsNonRoot", true);
        security.putObject("capabilities").putArray("drop").add("ALL");
        ObjectNode resources = agent.putObject("resources");
        resources.putObject("requests").put("cpu", "10m").put("memory", "96Mi");
        resources.putObject("limits").put("memory", "192Mi");
        return agent;
    }

    private ObjectNode fieldRef(String name, String path) {
        ObjectNode env = json.objectNode().put("name", name);
        env.putObject("valueFrom").putObject("fieldRef").put("fieldPath", path);
        return env;
    }

    private static boolean hasNamed(JsonNode items, String name) {
        for (JsonNode item : items) {
            if (name.equals(item.path("name").asText(null))) {
                return true;
            }
        }
        return false;
    }

    private static ArrayNode array(ObjectNode parent, String field) {
        JsonNode existing = parent.get(field);
        return existing instanceof ArrayNode array ? array : parent.putArray(field);
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        JsonNode existing = parent.get(field);
        return existing instanceof ObjectNode object ? object : parent.putObject(field);
    }
}
