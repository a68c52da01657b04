package dev.signet.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The gRPC xDS bootstrap for a workload: the control plane over mTLS with the agent's files ({@code tls} channel
 * credentials, re-read as the agent renews), the node naming its workload ({@code signet~<ns>~<name>}), and
 * {@code file_watcher} certificate providers {@code default} (the workload's certificate) and {@code ROOTCA} (the
 * trust bundle, re-read so that a root rotation's new bundle reaches gRPC).
 */
public final class XdsBootstrap {

    public static final String FILE = "grpc-bootstrap.json";

    private XdsBootstrap() {}

    /** How often gRPC re-reads the files by default: what a rotation's settle time has to cover. */
    public static final java.time.Duration DEFAULT_REFRESH = java.time.Duration.ofSeconds(10);

    public static Map<String, Object> of(String controlPlane, String namespace, String workload, Path certificates) {
        return of(controlPlane, namespace, workload, certificates, DEFAULT_REFRESH);
    }

    /** With the certificate providers re-reading the files every {@code refresh}. */
    public static Map<String, Object> of(
            String controlPlane, String namespace, String workload, Path certificates, java.time.Duration refresh) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ObjectNode server = root.putArray("xds_servers").addObject();
        server.put("server_uri", controlPlane);
        ObjectNode tls = server.putArray("channel_creds").addObject();
        tls.put("type", "tls");
        // Re-read as often as the providers: after a rotation retires the old root, the control plane accepts only
        // the renewed certificate, and a new connection must not present the old one.
        tls.set("config", files(mapper, certificates, Math.max(1, refresh.toSeconds()) + "s"));
        server.putArray("server_features").add("xds_v3");
        ObjectNode node = root.putObject("node");
        node.put("id", "signet~" + namespace + "~" + workload);
        node.put("cluster", namespace + "/" + workload);
        ObjectNode metadata = node.putObject("metadata");
        metadata.put("NAMESPACE", namespace);
        metadata.put("WORKLOAD", workload);
        ObjectNode providers = root.putObject("certificate_providers");
        for (String name : new String[] {"default", "ROOTCA"}) {
            ObjectNode provider = providers.putObject(name);
            provider.put("plugin_name", "file_watcher");
            provider.set("config", files(mapper, certificates, Math.max(1, refresh.toSeconds()) + "s"));
        }
        root.put("server_listener_resource_name_template", "grpc/server?xds.resource.listening_address=%s");
        @SuppressWarnings("unchecked")
        Map<String, Object> map = mapper.convertValue(root, Map.class);
        return map;
    }

    public static Path write(Path file, String controlPlane, String namespace, String workload, Path certificates)
            throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(
                file,
                new ObjectMapper()
                        .writerWithDefaultPrettyPrinter()
                        .writeValueAsString(of(controlPlane, namespace, workload, certificates)));
        return file;
    }

    private static ObjectNode files(ObjectMapper mapper, Path certificates, String refresh) {
        ObjectNode config = mapper.createObjectNode();
        Path absolute = certificates.toAbsolutePath();
        config.put(
                "certificate_file", absolute.resolve(CredentialFiles.CERT_CHAIN).toString());
        config.put("private_key_file", absolute.resolve(CredentialFiles.KEY).toString());
        config.put(
                "ca_certificate_file",
                absolute.resolve(CredentialFiles.ROOT_CERT).toString());
        config.put("refresh_interval", refresh);
        return config;
    }
}
