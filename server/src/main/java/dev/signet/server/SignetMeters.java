package dev.signet.server;

import dev.signet.ca.CaException;
import dev.signet.controlplane.ca.WorkloadSigner;
import dev.signet.controlplane.config.Version;
import dev.signet.controlplane.environment.PolicyCounts;
import dev.signet.controlplane.identity.AuthenticationException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.util.stream.Stream;

/**
 * Signet's counters as Micrometer meters: build info, leadership, policies in force and invalid, certificates issued
 * and refused by reason, trust bundle version, CA expiry, connected proxies, ACKs and NACKs by type, proxies out of
 * sync by type, and the rotation's ({@link RotationMeters}); the histograms are {@link ControlPlaneCollector}'s.
 */
@Singleton
public class SignetMeters implements MeterBinder {

    private final ControlPlaneBean bean;

    SignetMeters(ControlPlaneBean bean) {
        this.bean = bean;
    }

    private static double expiry(java.security.cert.X509Certificate certificate) {
        return certificate.getNotAfter().getTime() / 1000.0;
    }

    private static double remaining(java.security.cert.X509Certificate certificate) {
        return (certificate.getNotAfter().getTime() - System.currentTimeMillis()) / 1000.0;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("signet.build.info", () -> 1)
                .tag("version", Version.current())
                .tag("commit", Version.commit())
                .description("Always 1: the version and commit of this build in its labels")
                .register(registry);
        Gauge.builder("signet.leader", bean, b -> b.get() != null && b.get().leads() ? 1 : 0)
                .description("1 on the replica that drives root rotations and writes status (the Lease holder)")
                .register(registry);
        for (String state : new String[] {"in_force", "invalid"}) {
            Gauge.builder("signet.policies", bean, b -> {
                        if (b.get() == null) {
                            return 0;
                        }
                        PolicyCounts counts = b.get().policyCounts();
                        return state.equals("invalid") ? counts.invalid() : counts.inForce();
                    })
                    .tag("state", state)
                    .tag("source", bean.inCluster() ? "cluster" : "folder")
                    .description("Policies with a generation in force, and policies whose current one is invalid")
                    .register(registry);
        }
        RotationMeters.bindTo(registry, bean);
        FunctionCounter.builder(
                        "signet.ca.certificates.issued",
                        bean,
                        b -> b.get() == null ? 0 : b.get().metrics().issuedCount())
                .description("Certificates issued by the CA")
                .register(registry);
        FunctionCounter.builder(
                        "signet.ca.jwt.svids.issued",
                        bean,
                        b -> b.get() == null ? 0 : b.get().metrics().issuedJwtCount())
                .description("JWT-SVIDs issued by the CA")
                .register(registry);
        Stream.of(
                        Stream.of(CaException.Reason.values()).map(CaException.Reason::label),
                        Stream.of(AuthenticationException.Reason.values()).map(AuthenticationException.Reason::label),
                        Stream.of(WorkloadSigner.RATE_LIMITED, WorkloadSigner.RESERVED, WorkloadSigner.INTERNAL))
                .flatMap(reasons -> reasons)
                .distinct()
                .forEach(reason -> FunctionCounter.builder(
                                "signet.ca.requests.refused",
                                bean,
                                b -> b.get() == null
                                        ? 0
                                        : b.get().metrics().refusedCounts().getOrDefault(reason, 0L))
                        .tag("reason", reason)
                        .description("Certificate requests refused, by reason")
                        .register(registry));
        Gauge.builder(
                        "signet.trust.bundle.version",
                        bean,
                        b -> b.get() == null ? 0 : b.get().trustBundle().version())
                .description("Version of the trust bundle being distributed")
                .register(registry);
        Gauge.builder(
                        "signet.trust.bundle.watchers",
                        bean,
                        b -> b.get() == null ? 0 : b.get().trustWatchers().size())
                .description("Agents watching the trust bundle: one per workload instance")
                .register(registry);
        Gauge.builder(
                        "signet.ca.root.remaining.seconds",
                        bean,
                        b -> b.get() == null
                                ? Double.NaN
                                : remaining(b.get().signer().root()))
                .description("Validity left on the root CA certificate")
                .register(registry);
        Gauge.builder(
                        "signet.ca.intermediate.remaining.seconds",
                        bean,
                        b -> b.get() == null
                                ? Double.NaN
                                : remaining(b.get().signer().certificate()))
                .description("Validity left on the signing (intermediate) CA certificate")
                .register(registry);
        Gauge.builder(
                        "signet.ca.root.expiry.timestamp.seconds",
                        bean,
                        b -> b.get() == null
                                ? Double.NaN
                                : expiry(b.get().signer().root()))
                .description("When the root CA certificate expires (Unix time): alert on time() - this")
                .register(registry);
        Gauge.builder(
                        "signet.ca.intermediate.expiry.timestamp.seconds",
                        bean,
                        b -> b.get() == null
                                ? Double.NaN
                                : expiry(b.get().signer().certificate()))
                .description("When the signing (intermediate) CA certificate expires (Unix time)")
                .register(registry);
        Gauge.builder(
                        "signet.ca.root.expiry.margin.reached",
                        bean,
                        b -> b.get() != null && b.get().rootAgeing() ? 1 : 0)
                .description("1 when the root has no more than its expiry margin left: time to rotate it")
                .register(registry);
        Gauge.builder(
                        "signet.xds.connected.proxies",
                        bean,
                        b -> b.get() == null ? 0 : b.get().proxies().proxies().size())
                .description("Proxies connected over ADS")
                .register(registry);
        FunctionCounter.builder(
                        "signet.xds.acks",
                        bean,
                        b -> b.get() == null ? 0 : b.get().proxies().ackCount())
                .description("xDS responses proxies accepted")
                .register(registry);
        for (String type : new String[] {"LDS", "RDS", "CDS", "EDS", "SDS"}) {
            FunctionCounter.builder(
                            "signet.xds.nacks",
                            bean,
                            b -> b.get() == null ? 0 : b.get().proxies().nackCount(type))
                    .tag("type", type)
                    .description("xDS responses proxies rejected, by type")
                    .register(registry);
        }
        for (String type : new String[] {"LDS", "CDS", "EDS"}) {
            Gauge.builder(
                            "signet.xds.proxies.out.of.sync",
                            bean,
                            b -> b.get() == null
                                    ? 0
                                    : b.get().proxies().proxies().stream()
                                            .map(p -> p.types().get(type))
                                            .filter(s -> s != null && !s.inSync())
                                            .count())
                    .tag("type", type)
                    .description("Proxies whose last response is not ACKed yet")
                    .register(registry);
        }
    }
}
