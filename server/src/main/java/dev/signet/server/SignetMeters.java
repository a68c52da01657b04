package dev.signet.server;

import dev.signet.ca.CaException;
import dev.signet.controlplane.ca.WorkloadSigner;
import dev.signet.controlplane.identity.AuthenticationException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Signet's counters as Micrometer meters: certificates issued and refused by reason, trust bundle version,
 * connected proxies, ACKs and NACKs, proxies out of sync by type, and push latency.
 */
@Singleton
public class SignetMeters implements MeterBinder {

    private final ControlPlaneBean bean;

    SignetMeters(ControlPlaneBean bean) {
        this.bean = bean;
    }

    private static double remaining(java.security.cert.X509Certificate certificate) {
        return (certificate.getNotAfter().getTime() - System.currentTimeMillis()) / 1000.0;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
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
        FunctionCounter.builder(
                        "signet.xds.nacks",
                        bean,
                        b -> b.get() == null ? 0 : b.get().proxies().nackCount())
                .description("xDS responses proxies rejected")
                .register(registry);
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
        FunctionTimer.builder(
                        "signet.xds.push",
                        bean,
                        b -> b.get() == null ? 0 : b.get().xds().pushCount(),
                        b -> b.get() == null ? 0 : b.get().xds().pushSecondsTotal(),
                        TimeUnit.SECONDS)
                .description("From a configuration change to its push to every proxy stream")
                .register(registry);
    }
}
