package dev.signet.policy.model;

/** A workload port's protocol: HTTP-family ports get the HTTP RBAC filter, TCP the network one. */
public enum Protocol {
    HTTP,
    HTTP2,
    GRPC,
    TCP;

    public boolean isHttp() {
        return this != TCP;
    }
}
