package dev.signet.e2e;

import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * K3s in a container (Testcontainers), for machines with a Docker engine: {@code -Dsignet.e2e.cluster=k3s}. Its
 * API server gets the same service-account keys and static admin token as the local one, so every test runs
 * unchanged on either. Without a Docker engine
 * {@link RealCluster} skips the tests with that reason.
 */
final class K3sApiServer implements KubeApiServer.Runtime {

    /** K3s' build of the same Kubernetes release as the local binaries. */
    static final String IMAGE = "rancher/k3s:v" + KubeApiServer.VERSION + "-k3s1";

    private K3sContainer container;

    private K3sApiServer() {}

    static boolean dockerRuns() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    static K3sApiServer create() {
        if (!dockerRuns()) {
            throw new IllegalStateException("K3s needs a Docker engine, and this machine has none");
        }
        return new K3sApiServer();
    }

    @Override
    @SuppressWarnings("resource") // closed in close()
    public String start(Path dir, Path serviceAccountKey, Path serviceAccountPublicKey, Path tokens) {
        container = new K3sContainer(DockerImageName.parse(IMAGE))
                .withCopyFileToContainer(MountableFile.forHostPath(serviceAccountKey), "/signet/sa.key")
                .withCopyFileToContainer(MountableFile.forHostPath(serviceAccountPublicKey), "/signet/sa.pub")
                .withCopyFileToContainer(MountableFile.forHostPath(tokens), "/signet/tokens.csv");
        container.withCommand(
                "server",
                "--disable=traefik",
                "--disable=metrics-server",
                "--tls-san=" + container.getHost(),
                "--kube-apiserver-arg=service-account-issuer=" + KubeApiServer.ISSUER,
                "--kube-apiserver-arg=service-account-key-file=/signet/sa.pub",
                "--kube-apiserver-arg=service-account-signing-key-file=/signet/sa.key",
                "--kube-apiserver-arg=token-auth-file=/signet/tokens.csv");
        container.start();
        return "https://" + container.getHost() + ":" + container.getMappedPort(6443);
    }

    @Override
    public boolean running() {
        return container != null && container.isRunning();
    }

    @Override
    public String logHint() {
        return container == null
                ? "the K3s container did not start"
                : "the K3s container's log:\n" + container.getLogs();
    }

    @Override
    public void close() {
        if (container != null) {
            container.stop();
        }
    }
}
