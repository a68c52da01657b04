package dev.signet.policy.model;

/** An inbound port of a workload. */
public record WorkloadPort(Integer port, Protocol protocol, String name) {
    public Protocol protocolOrDefault() {
        return protocol == null ? Protocol.TCP : protocol;
    }
}
