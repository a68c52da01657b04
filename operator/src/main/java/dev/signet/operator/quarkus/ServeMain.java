package dev.signet.operator.quarkus;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code signet serve}: parses the options, hands them to SmallRye Config as system properties (the HTTP port must be
 * known before Quarkus starts), then runs the application until it is stopped.
 */
@QuarkusMain
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the control plane: the CA and the xDS server on one TLS gRPC port (default 15012); health, "
                + "metrics and proxy status over HTTP (default 15014). Its CA and token key live in the state directory "
                + "(created on first start, reused after).")
public final class ServeMain implements Callable<Integer> {

    @Option(
            names = "--standalone",
            paramLabel = "DIR",
            description = "Serve the policies and Workload documents in DIR over xDS, reloading on change.")
    Path standalone;

    @Option(
            names = "--state-dir",
            defaultValue = ".signet",
            paramLabel = "DIR",
            description = "CA material, token key and root-cert.pem (default: ${DEFAULT-VALUE}).")
    Path stateDirectory;

    @Option(
            names = "--address",
            defaultValue = "127.0.0.1",
            description = "Address of the CA/xDS port (default: ${DEFAULT-VALUE}).")
    String address;

    @Option(
            names = "--http-address",
            defaultValue = "127.0.0.1",
            description = "Address of the HTTP port: health, metrics, and the admin routes (which also need the admin "
                    + "credential). Loopback unless told, whatever --address is (default: ${DEFAULT-VALUE}).")
    String httpAddress;

    @Option(names = "--grpc-port", defaultValue = "15012", description = "TLS gRPC port (default: ${DEFAULT-VALUE}).")
    int grpcPort;

    @Option(
            names = "--http-port",
            defaultValue = "15014",
            description = "Health (/q/health), metrics (/q/metrics) and /debug/proxies (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(
            names = "--trust-domain",
            defaultValue = "cluster.local",
            description = "Trust domain (default: ${DEFAULT-VALUE}).")
    String trustDomain;

    @Option(
            names = "--xds-debounce",
            defaultValue = "100ms",
            paramLabel = "DURATION",
            description = "Gather a burst of changes this long before one push (default: ${DEFAULT-VALUE}).")
    String debounce;

    @Option(
            names = "--kubeconfig",
            paramLabel = "FILE",
            description =
                    "Run as the Kubernetes operator against this cluster. Without it, $KUBECONFIG, ~/.kube/config "
                            + "or the in-cluster service account are used when present; with none of them (or --standalone), "
                            + "the control plane runs standalone.")
    Path kubeconfig;

    @Option(
            names = "--namespace",
            paramLabel = "NS",
            description =
                    "In a cluster, the control plane's namespace (its CA Secret and Lease); default: $POD_NAMESPACE, "
                            + "else signet-system.")
    String namespace;

    @Option(
            names = "--root-namespace",
            defaultValue = "signet-system",
            paramLabel = "NS",
            description = "Policies here without a selector apply mesh-wide (default: ${DEFAULT-VALUE}).")
    String rootNamespace;

    @Option(
            names = "--token-audience",
            defaultValue = "signet-ca",
            description = "The audience of workload tokens (default: ${DEFAULT-VALUE}).")
    String tokenAudience;

    @Option(
            names = "--default-ttl",
            defaultValue = "24h",
            paramLabel = "DURATION",
            description = "Workload certificate lifetime when the caller asks for none (default: ${DEFAULT-VALUE}).")
    String defaultTtl;

    @Option(
            names = "--max-ttl",
            defaultValue = "24h",
            paramLabel = "DURATION",
            description = "The longest lifetime a caller may ask for; longer is refused (default: ${DEFAULT-VALUE}).")
    String maxTtl;

    @Option(
            names = "--issuance-rate-per-identity",
            defaultValue = "10",
            paramLabel = "PER_SECOND",
            description =
                    "Certificates one identity may be issued a second, after its burst (default: ${DEFAULT-VALUE}).")
    double issuanceRatePerIdentity;

    @Option(
            names = "--issuance-burst-per-identity",
            defaultValue = "200",
            paramLabel = "COUNT",
            description = "Certificates one identity may be issued at once: a Deployment's pods starting together "
                    + "(default: ${DEFAULT-VALUE}).")
    int issuanceBurstPerIdentity;

    @Option(
            names = "--poll-interval",
            defaultValue = "500ms",
            paramLabel = "DURATION",
            description = "How often --standalone DIR is checked for changes (default: ${DEFAULT-VALUE}).")
    String pollInterval;

    @Option(
            names = "--rotation-settle",
            defaultValue = "15s",
            paramLabel = "DURATION",
            description =
                    "How long a root rotation's gate must stay open before the next phase; it must cover how "
                            + "often workloads re-read their files (10 s in the agent's bootstrap) (default: ${DEFAULT-VALUE}).")
    String rotationSettle;

    @Option(
            names = "--rotation-issuance-rate",
            defaultValue = "200",
            paramLabel = "PER_SECOND",
            description = "The most renewals a second a root rotation asks for (default: ${DEFAULT-VALUE}).")
    double rotationIssuanceRate;

    @Option(
            names = "--root-expiry-margin",
            defaultValue = "default",
            paramLabel = "MARGIN",
            description =
                    "When the root counts as ageing (a warning and the metric signet_ca_root_expiry_margin_reached): "
                            + "a share of its lifetime (33%%) or a duration (365d); default a third.")
    String rootExpiryMargin;

    @Option(names = "--auto-rotate", description = "Start a root rotation by itself once the root is ageing.")
    boolean autoRotate;

    public static void main(String... args) {
        int exit = new CommandLine(new ServeMain()).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    @Override
    public Integer call() {
        if (standalone != null && !java.nio.file.Files.isDirectory(standalone)) {
            System.err.println("signet: no such directory: " + standalone);
            return 1;
        }
        System.setProperty("signet.state-dir", stateDirectory.toString());
        System.setProperty("signet.address", address);
        System.setProperty("signet.grpc-port", Integer.toString(grpcPort));
        System.setProperty("signet.trust-domain", trustDomain);
        System.setProperty("signet.xds-debounce", debounce);
        System.setProperty("signet.poll-interval", pollInterval);
        if (standalone != null) {
            System.setProperty("signet.standalone", standalone.toString());
        }
        if (kubeconfig != null) {
            System.setProperty("signet.kubeconfig", kubeconfig.toString());
        }
        String podNamespace = System.getenv("POD_NAMESPACE");
        System.setProperty(
                "signet.namespace",
                namespace != null
                        ? namespace
                        : podNamespace != null && !podNamespace.isBlank() ? podNamespace : "signet-system");
        System.setProperty("signet.root-namespace", rootNamespace);
        System.setProperty("signet.token-audience", tokenAudience);
        System.setProperty("signet.default-ttl", defaultTtl);
        System.setProperty("signet.max-ttl", maxTtl);
        System.setProperty("signet.issuance.rate-per-identity", Double.toString(issuanceRatePerIdentity));
        System.setProperty("signet.issuance.burst-per-identity", Integer.toString(issuanceBurstPerIdentity));
        System.setProperty("signet.rotation.settle", rotationSettle);
        System.setProperty("signet.rotation.issuance-rate", Double.toString(rotationIssuanceRate));
        System.setProperty("signet.rotation.root-expiry-margin", rootExpiryMargin);
        System.setProperty("signet.rotation.auto-start", Boolean.toString(autoRotate));
        System.setProperty("quarkus.http.host", httpAddress);
        System.setProperty("quarkus.http.port", Integer.toString(httpPort));
        Quarkus.run(ServeApplication.class);
        return 0;
    }
}
