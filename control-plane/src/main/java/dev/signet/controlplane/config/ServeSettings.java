package dev.signet.controlplane.config;

import dev.signet.controlplane.identity.LocalTokenIssuer;
import dev.signet.controlplane.inject.InjectionSettings;
import dev.signet.policy.select.MeshPolicies;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Every setting of {@code signet serve}, declared here and nowhere else: key {@code signet.<name>} (a group's
 * settings {@code signet.<group>.<name>}), option {@code --<name>} ({@code --<group>-<name>}), environment variable
 * {@code SIGNET_<NAME>}, default and help. {@link Settings} reads it; the command line, the Helm chart and the README
 * are checked against it.
 */
@ConfigMapping(prefix = "signet")
public interface ServeSettings {

    /** The trust domain a control plane serves unless told. */
    String DEFAULT_TRUST_DOMAIN = "cluster.local";

    @Help(value = "CA material, token key and root-cert.pem; created on first start, reused after.", label = "DIR")
    @WithDefault(".signet")
    Path stateDir();

    @Help(value = "Serve the policies and Workload documents in DIR over xDS, reloading on change.", label = "DIR")
    Optional<Path> standalone();

    @Help(
            value = "Run as the Kubernetes operator against this cluster. Without it, $KUBECONFIG, ~/.kube/config or "
                    + "the in-cluster service account are used when present; with none of them (or --standalone), "
                    + "the control plane runs standalone.",
            label = "FILE")
    Optional<Path> kubeconfig();

    @Help(value = "Address of the TLS gRPC port (the CA, the trust bundle watch and xDS).", label = "ADDRESS")
    @WithDefault("127.0.0.1")
    String address();

    @Help(value = "The TLS gRPC port.", label = "PORT")
    @WithDefault("15012")
    int grpcPort();

    @Help(
            value = "Address of the HTTP port: health, metrics, and the admin routes (which also need the admin "
                    + "credential). Loopback unless told, whatever --address is.",
            label = "ADDRESS")
    @WithDefault("127.0.0.1")
    String httpAddress();

    @Help(value = "Health (/q/health), metrics (/q/metrics) and /debug/proxies.", label = "PORT")
    @WithDefault("15014")
    int httpPort();

    @Help(value = "The trust domain of every SPIFFE ID the CA issues.", label = "DOMAIN")
    @WithDefault(DEFAULT_TRUST_DOMAIN)
    String trustDomain();

    @Help(
            value = "In a cluster, the control plane's namespace (its CA Secret and Lease).",
            label = "NS",
            shownDefault = "$POD_NAMESPACE, else " + MeshPolicies.DEFAULT_ROOT_NAMESPACE)
    @WithDefault("${POD_NAMESPACE:" + MeshPolicies.DEFAULT_ROOT_NAMESPACE + "}")
    String namespace();

    @Help(value = "Policies here without a selector apply mesh-wide.", label = "NS")
    @WithDefault(MeshPolicies.DEFAULT_ROOT_NAMESPACE)
    String rootNamespace();

    @Help(value = "The audience a workload's service-account token must carry.", label = "AUDIENCE")
    @WithDefault(LocalTokenIssuer.DEFAULT_AUDIENCE)
    String tokenAudience();

    @Help(value = "A workload certificate's lifetime when the caller asks for none.", label = "DURATION")
    @WithDefault("24h")
    Duration defaultTtl();

    @Help(value = "The longest lifetime a caller may ask for; longer is refused, not shortened.", label = "DURATION")
    @WithDefault("24h")
    Duration maxTtl();

    @Help(
            value = "How long each JWT-SVID lives, 30s to 1h. A root rotation waits this long after ACTIVATE before "
                    + "RETIRE takes the old JWT key out of the bundle.",
            label = "DURATION")
    @WithDefault("5m")
    Duration jwtSvidTtl();

    @Help(value = "text (the default), or json: one JSON object per log record, for log pipelines.", label = "FORMAT")
    @WithDefault("text")
    String logFormat();

    @Help(value = "The least severe level logged: ERROR, WARN, INFO (the default), DEBUG or TRACE.", label = "LEVEL")
    @WithDefault("INFO")
    String logLevel();

    @Help(value = "Gather a burst of policy changes this long before one push.", label = "DURATION")
    @WithDefault("100ms")
    Duration xdsDebounce();

    @Help(value = "How often --standalone DIR is checked for changes.", label = "DURATION")
    @WithDefault("500ms")
    Duration pollInterval();

    @Help(
            value = "When the root counts as ageing (a warning and the metric signet_ca_root_expiry_margin_reached): "
                    + "a share of its lifetime (33%) or a duration (365d).",
            label = "MARGIN",
            shownDefault = "a third of its lifetime")
    @WithDefault("default")
    String rootExpiryMargin();

    @Help("Start a root rotation by itself once the root is ageing.")
    @WithDefault("false")
    boolean autoRotate();

    /** How many certificates one identity may be issued. */
    Issuance issuance();

    /** Root rotation pacing. */
    Rotation rotation();

    /** The admission webhook that adds the agent to pods. */
    Injection injection();

    /** Istio's CA API, for Istio's own agents. */
    Istio istio();

    interface Issuance {

        @Help(value = "Certificates one identity may be issued a second, after its burst.", label = "PER_SECOND")
        @WithDefault("10")
        double ratePerIdentity();

        @Help(
                value = "Certificates one identity may be issued at once: a Deployment's pods starting together.",
                label = "COUNT")
        @WithDefault("200")
        int burstPerIdentity();
    }

    interface Rotation {

        @Help(
                value = "How long a root rotation's gate must stay open before the next phase; it must cover how often "
                        + "workloads re-read their files (10 s in the agent's bootstrap).",
                label = "DURATION")
        @WithDefault("15s")
        Duration settle();

        @Help(
                value = "In a cluster: a RootRotation whose gate holds one phase longer than this is marked Stalled "
                        + "(reason GateHeld), which GitOps tools read as failed.",
                label = "DURATION")
        @WithDefault("48h")
        Duration stalledAfter();

        @Help(value = "How often a root rotation's gate is judged.", label = "DURATION")
        @WithDefault("1s")
        Duration tick();

        @Help(value = "The most renewals a second a root rotation asks for.", label = "PER_SECOND")
        @WithDefault("200")
        double issuanceRate();

        @Help(value = "The shortest window a root rotation spreads its renewal requests over.", label = "DURATION")
        @WithDefault("1s")
        Duration minSpread();
    }

    interface Injection {

        @Help(
                value = "Serve the admission webhook that adds the agent to new pods (HTTPS, with the gRPC port's "
                        + "certificate, on --address); 0: no webhook.",
                label = "PORT")
        @WithDefault("0")
        int webhookPort();

        @Help(
                value = "The MutatingWebhookConfiguration whose caBundle the leader keeps equal to the trust bundle.",
                label = "NAME")
        @WithDefault("signet-injector")
        String webhookConfiguration();

        @Help(
                value = "The image of the injected agent.",
                label = "IMAGE",
                shownDefault = InjectionSettings.IMAGE + ":VERSION")
        Optional<String> image();

        @Help(
                value = "The address injected agents dial for their certificates and xDS.",
                label = "HOST:PORT",
                shownDefault = "signet.<namespace>.svc:<grpc-port>")
        Optional<String> controlPlane();
    }

    interface Istio {

        @Help(
                value = "The audience of the tokens Istio's agents present to the Istio CA API "
                        + "(istio.v1.auth.IstioCertificateService, on the gRPC port).",
                label = "AUDIENCE")
        @WithDefault("istio-ca")
        String audience();

        @Help(
                value = "More names for the serving certificate, which Istio's agents check against their CA_ADDR "
                        + "host or ISTIOD_SAN (comma-separated); none: \"-\".",
                label = "NAMES")
        @WithDefault("istiod.istio-system.svc")
        String serverNames();

        @Help(
                value = "While a root rotation runs, Istio agents' certificates last at most this long, so that they "
                        + "come back for the new trust bundle within about half of it.",
                label = "DURATION")
        @WithDefault("1h")
        Duration rotationTtl();

        @Help("In a cluster, also publish the trust bundle as the istio-ca-root-cert ConfigMap of every namespace, "
                + "where Istio's injector mounts it.")
        @WithDefault("false")
        boolean rootCertConfigMap();
    }
}
