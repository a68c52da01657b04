package dev.signet.e2e;

import dev.signet.ca.store.Directories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The set-up the Kubernetes tests share, as one JUnit extension: a working folder, a real API server ({@link
 * KubeApiServer}), the chart's CRDs and RBAC when asked (with a kubeconfig for the chart's service account), and
 * whatever the test class opens, closed after it in reverse order and before the API server goes.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KubeCluster cluster = KubeCluster.withChart();
 * }</pre>
 */
final class KubeCluster implements BeforeAllCallback, AfterAllCallback {

    private final boolean chart;
    private final Deque<AutoCloseable> closing = new ArrayDeque<>();
    private Path dir;
    private KubeApiServer kube;
    private Path kubeconfig;

    private KubeCluster(boolean chart) {
        this.chart = chart;
    }

    /** An API server alone. */
    static KubeCluster bare() {
        return new KubeCluster(false);
    }

    /** An API server with the chart's resources applied, and a kubeconfig acting as the chart's service account. */
    static KubeCluster withChart() {
        return new KubeCluster(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory(
                "signet-e2e-" + context.getRequiredTestClass().getSimpleName());
        kube = KubeApiServer.start(dir);
        if (chart) {
            kubeconfig = OperatorProcess.installChart(kube, dir);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            while (!closing.isEmpty()) {
                closing.pop().close();
            }
        } finally {
            if (kube != null) {
                kube.close();
            }
            if (dir != null) {
                Directories.delete(dir);
            }
        }
    }

    KubeApiServer kube() {
        return kube;
    }

    /** This class's working folder, deleted after it. */
    Path dir() {
        return dir;
    }

    /** A kubeconfig for the chart's service account ({@link #withChart()} only). */
    Path kubeconfig() {
        if (kubeconfig == null) {
            throw new IllegalStateException("the chart is installed only by KubeCluster.withChart()");
        }
        return kubeconfig;
    }

    /** Closes {@code resource} after the class's tests, before what was registered earlier. */
    <T extends AutoCloseable> T closeAfter(T resource) {
        closing.push(resource);
        return resource;
    }
}
