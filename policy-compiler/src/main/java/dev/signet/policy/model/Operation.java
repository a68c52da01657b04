package dev.signet.policy.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What a request does. Fields are ANDed; the values of one field are ORed; not* fields must not match. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Operation(
        @JsonPropertyDescription("Host or :authority values (HTTP only); case-insensitive, one leading or trailing *.")
        List<String> hosts,

        @JsonPropertyDescription("Hosts that must not match (HTTP only).")
        List<String> notHosts,

        @JsonPropertyDescription("Destination ports, as strings.")
        List<String> ports,

        @JsonPropertyDescription("Destination ports that must not match.")
        List<String> notPorts,

        @JsonPropertyDescription("HTTP methods (upper case), or gRPC when the method is POST (HTTP only).")
        List<String> methods,

        @JsonPropertyDescription("Methods that must not match (HTTP only).")
        List<String> notMethods,

        @JsonPropertyDescription("Request paths: exact, prefix*, *suffix, * or {*}/{**} templates (HTTP only).")
        List<String> paths,

        @JsonPropertyDescription("Paths that must not match (HTTP only).")
        List<String> notPaths) {
    public Operation {
        hosts = Lists.of(hosts);
        notHosts = Lists.of(notHosts);
        ports = Lists.of(ports);
        notPorts = Lists.of(notPorts);
        methods = Lists.of(methods);
        notMethods = Lists.of(notMethods);
        paths = Lists.of(paths);
        notPaths = Lists.of(notPaths);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return hosts.isEmpty()
                && notHosts.isEmpty()
                && ports.isEmpty()
                && notPorts.isEmpty()
                && methods.isEmpty()
                && notMethods.isEmpty()
                && paths.isEmpty()
                && notPaths.isEmpty();
    }
}
