package dev.signet.policy.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** What a request does. Fields are ANDed; the values of one field are ORed; not* fields must not match. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Operation(List<String> hosts, List<String> notHosts, List<String> ports, List<String> notPorts,
                        List<String> methods, List<String> notMethods, List<String> paths, List<String> notPaths) {
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

    public boolean isEmpty() {
        return hosts.isEmpty() && notHosts.isEmpty() && ports.isEmpty() && notPorts.isEmpty() && methods.isEmpty()
                && notMethods.isEmpty() && paths.isEmpty() && notPaths.isEmpty();
    }
}
