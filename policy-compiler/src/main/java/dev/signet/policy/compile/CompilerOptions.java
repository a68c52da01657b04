package dev.signet.policy.compile;

/**
 * Names the compiled resources use for the workload's certificate and the trust bundle: SDS secret names for
 * Envoy, certificate-provider instance names for gRPC ({@code default} and {@code ROOTCA}, as Istio names them).
 */
public record CompilerOptions(TlsFlavor flavor, String certificateName, String trustBundleName) {

    public static final CompilerOptions ENVOY = new CompilerOptions(TlsFlavor.ENVOY, "default", "ROOTCA");
    public static final CompilerOptions GRPC = new CompilerOptions(TlsFlavor.GRPC, "default", "ROOTCA");

    /** Envoy names its inbound listener by port; gRPC asks for the listener by its listening address. */
    public String listenerName(int port) {
        return flavor == TlsFlavor.GRPC
                ? "grpc/server?xds.resource.listening_address=0.0.0.0:" + port
                : "inbound|" + port;
    }

    public static String inboundClusterName(int port) {
        return "inbound|" + port + "||";
    }
}
