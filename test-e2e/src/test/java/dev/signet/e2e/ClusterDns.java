package dev.signet.e2e;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * What CoreDNS does for the test node, and no more: answers A queries for {@code <service>.<namespace>.svc.cluster.local}
 * with the Service's ClusterIP, read from the API server, and NXDOMAIN for any other name (so that resolvers move
 * on through their search list). No cluster DNS image builds here without a registry; the kubelet points Pods at
 * this one.
 */
final class ClusterDns implements AutoCloseable {

    private static final String SUFFIX = ".svc.cluster.local";
    private static final int TYPE_A = 1;

    private final DatagramSocket socket;
    private final KubernetesClient client;
    private final Thread thread;

    private ClusterDns(DatagramSocket socket, KubernetesClient client) {
        this.socket = socket;
        this.client = client;
        this.thread = new Thread(this::serve, "cluster-dns");
        thread.setDaemon(true);
        thread.start();
    }

    static ClusterDns start(InetAddress address, KubernetesClient client) throws SocketException {
        return new ClusterDns(new DatagramSocket(new InetSocketAddress(address, 53)), client);
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            try {
                DatagramPacket query = new DatagramPacket(buffer, buffer.length);
                socket.receive(query);
                byte[] answer = answer(java.util.Arrays.copyOf(query.getData(), query.getLength()));
                if (answer != null) {
                    socket.send(new DatagramPacket(answer, answer.length, query.getSocketAddress()));
                }
            } catch (Exception e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    /** The response to one query of one question, or null for what is not such a query. */
    private byte[] answer(byte[] query) {
        if (query.length < 17 || (query[2] & 0x80) != 0 || query[5] != 1) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        int at = 12;
        while (at < query.length && query[at] != 0) {
            int length = query[at] & 0xff;
            if (length > 63 || at + 1 + length > query.length) {
                return null;
            }
            name.append(new String(query, at + 1, length, StandardCharsets.US_ASCII))
                    .append('.');
            at += 1 + length;
        }
        int questionEnd = at + 5;
        if (questionEnd > query.length) {
            return null;
        }
        int type = ((query[at + 1] & 0xff) << 8) | (query[at + 2] & 0xff);
        Optional<byte[]> address = clusterIp(name.toString().toLowerCase(Locale.ROOT));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(query[0]);
        out.write(query[1]);
        out.write(0x80 | (query[2] & 0x01)); // a response, with the query's recursion-desired bit
        out.write(address.isPresent() ? 0x80 : 0x83); // recursion available; NOERROR or NXDOMAIN
        boolean answers = address.isPresent() && type == TYPE_A;
        out.writeBytes(new byte[] {0, 1, 0, (byte) (answers ? 1 : 0), 0, 0, 0, 0});
        out.write(query, 12, questionEnd - 12);
        if (answers) {
            out.writeBytes(new byte[] {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4});
            out.writeBytes(address.get());
        }
        return out.toByteArray();
    }

    private Optional<byte[]> clusterIp(String name) {
        if (!name.endsWith(SUFFIX + ".")) {
            return Optional.empty();
        }
        String[] parts = name.substring(0, name.length() - SUFFIX.length() - 1).split("\\.");
        if (parts.length != 2) {
            return Optional.empty();
        }
        Service service =
                client.services().inNamespace(parts[1]).withName(parts[0]).get();
        if (service == null
                || service.getSpec().getClusterIP() == null
                || service.getSpec().getClusterIP().equals("None")) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    InetAddress.getByName(service.getSpec().getClusterIP()).getAddress());
        } catch (java.net.UnknownHostException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(2_000);
    }
}
