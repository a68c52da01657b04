package dev.signet.cli.reach;

/**
 * One running control plane as the CLI reaches it.
 *
 * @param name       its Pod's name in a cluster, else the address
 * @param address    {@code host:port} of its HTTP port as reachable from here (a port-forward's local end)
 * @param credential reads its admin credential when a call needs one
 * @param forwarded  whether {@code address} is a port-forward to the Pod {@code name}
 */
public record Replica(String name, String address, Credential credential, boolean forwarded) {

    /** The admin credential, read only when needed: {@code version} reads the open metrics without it. */
    @FunctionalInterface
    public interface Credential {
        String read() throws AdminClient.Refused, InterruptedException;
    }

    /** A client presenting this replica's credential. */
    public AdminClient admin() throws AdminClient.Refused, InterruptedException {
        return new AdminClient(address, credential.read(), forwarded ? "Pod " + name : null);
    }
}
