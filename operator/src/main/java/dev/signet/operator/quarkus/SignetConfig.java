package dev.signet.operator.quarkus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** {@code signet.*}: from application.properties, {@code -Dsignet.…}, {@code SIGNET_…} variables or serve's options. */
@ConfigMapping(prefix = "signet")
public interface SignetConfig {

    @WithDefault(".signet")
    Path stateDir();

    Optional<Path> standalone();

    @WithDefault("127.0.0.1")
    String address();

    @WithDefault("15012")
    int grpcPort();

    @WithDefault("cluster.local")
    String trustDomain();

    /** How long a burst of changes is gathered before one push (default 100 ms). */
    @WithDefault("100ms")
    java.time.Duration xdsDebounce();

    /** A kubeconfig to use; without it $KUBECONFIG, ~/.kube/config or the in-cluster account, else standalone. */
    Optional<Path> kubeconfig();

    /** The control plane's namespace in a cluster: its CA Secret and its Lease live there. */
    @WithDefault("signet-system")
    String namespace();

    /** The namespace whose selector-less policies apply mesh-wide. */
    @WithDefault("signet-system")
    String rootNamespace();

    /** The audience a workload's projected service-account token must carry. */
    @WithDefault("signet-ca")
    String tokenAudience();

    /** A workload certificate's lifetime when the caller asks for none. */
    @WithDefault("24h")
    java.time.Duration defaultTtl();

    /** The longest lifetime a caller may ask for; longer requests are refused, not shortened. */
    @WithDefault("24h")
    java.time.Duration maxTtl();

    /** How many certificates one identity may be issued. */
    Issuance issuance();

    interface Issuance {
        /** A second, after the burst. */
        @WithDefault("10")
        double ratePerIdentity();

        /** At once. */
        @WithDefault("200")
        int burstPerIdentity();
    }

    /** How often the standalone folder is checked for changes (default 500 ms). */
    @WithDefault("500ms")
    java.time.Duration pollInterval();

    /** Root rotation pacing. */
    Rotation rotation();

    interface Rotation {
        /** When the root counts as ageing: a share of its lifetime (33%) or a duration (365d); default a third. */
        @WithDefault("default")
        String rootExpiryMargin();

        /** Start a rotation by itself once the root is ageing. */
        @WithDefault("false")
        boolean autoStart();

        /** How long a gate must stay open before the next phase (default 15 s: the agents' file refresh is 10 s). */
        @WithDefault("15s")
        java.time.Duration settle();

        /** How often the gate is judged. */
        @WithDefault("1s")
        java.time.Duration tick();

        /** The most renewals a second a rotation asks for. */
        @WithDefault("200")
        double issuanceRate();
    }
}
