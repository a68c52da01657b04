package dev.signet.server;

import dev.signet.controlplane.ControlPlane;
import dev.signet.controlplane.metrics.GrpcCallMetrics;
import dev.signet.controlplane.metrics.LatencyHistogram;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.List;

/**
 * What Micrometer cannot take from outside as it is: histograms whose buckets the control plane counts itself (push
 * latency, the unary gRPC calls' durations), and counters whose labels appear as it runs (gRPC calls by method and
 * code, reconciliations by controller), written straight into the Prometheus registry that {@code /q/metrics}
 * scrapes.
 */
@ApplicationScoped
public class ControlPlaneCollector extends Collector {

    private static final List<String> METHOD_LABELS = List.of("grpc_service", "grpc_method", "grpc_type");

    private final ControlPlaneBean bean;
    private final Instance<PrometheusMeterRegistry> registry;

    ControlPlaneCollector(ControlPlaneBean bean, Instance<PrometheusMeterRegistry> registry) {
        this.bean = bean;
        this.registry = registry;
    }

    void register(@Observes StartupEvent event) {
        if (registry.isResolvable()) {
            registry.get().getPrometheusRegistry().register(this);
        }
    }

    @Override
    public List<MetricFamilySamples> collect() {
        ControlPlane plane = bean.get();
        List<MetricFamilySamples> families = new ArrayList<>();
        families.add(histogram(
                "signet_xds_push_seconds",
                "From a configuration change to its push to every proxy stream",
                List.of(),
                plane == null
                        ? List.of()
                        : List.of(new Labelled(List.of(), plane.xds().pushLatency()))));
        GrpcCallMetrics calls = plane == null ? null : plane.calls();
        List<MetricFamilySamples.Sample> started = new ArrayList<>();
        List<MetricFamilySamples.Sample> handled = new ArrayList<>();
        List<Labelled> durations = new ArrayList<>();
        if (calls != null) {
            calls.started()
                    .forEach((method, count) -> started.add(new MetricFamilySamples.Sample(
                            "grpc_server_started_total", METHOD_LABELS, values(method), count)));
            List<String> handledLabels = new ArrayList<>(METHOD_LABELS);
            handledLabels.add("grpc_code");
            calls.handled().forEach((key, count) -> {
                List<String> values = new ArrayList<>(values(key.method()));
                values.add(key.code());
                handled.add(new MetricFamilySamples.Sample("grpc_server_handled_total", handledLabels, values, count));
            });
            calls.unaryLatency().forEach((method, snapshot) -> durations.add(new Labelled(values(method), snapshot)));
        }
        families.add(
                new MetricFamilySamples("grpc_server_started", Type.COUNTER, "gRPC calls started, by method", started));
        families.add(new MetricFamilySamples(
                "grpc_server_handled", Type.COUNTER, "gRPC calls ended, by method and status code", handled));
        List<MetricFamilySamples.Sample> reconciles = new ArrayList<>();
        List<MetricFamilySamples.Sample> failures = new ArrayList<>();
        bean.reconciles()
                .ifPresent(counts -> counts.counts().forEach((controller, c) -> {
                    reconciles.add(new MetricFamilySamples.Sample(
                            "signet_reconciles_total", List.of("controller"), List.of(controller), c.reconciles()));
                    failures.add(new MetricFamilySamples.Sample(
                            "signet_reconcile_failures_total",
                            List.of("controller"),
                            List.of(controller),
                            c.failures()));
                }));
        families.add(new MetricFamilySamples(
                "signet_reconciles", Type.COUNTER, "Reconciliations started, by controller", reconciles));
        families.add(new MetricFamilySamples(
                "signet_reconcile_failures",
                Type.COUNTER,
                "Reconciliations that failed (retried by the operator), by controller",
                failures));
        List<MetricFamilySamples.Sample> reviews = new ArrayList<>();
        List<MetricFamilySamples.Sample> kept = new ArrayList<>();
        bean.tokenCaches().forEach((audience, cache) -> {
            reviews.add(new MetricFamilySamples.Sample(
                    "signet_token_reviews_total", List.of("audience"), List.of(audience), cache.misses()));
            kept.add(new MetricFamilySamples.Sample(
                    "signet_token_cache_hits_total", List.of("audience"), List.of(audience), cache.hits()));
        });
        families.add(new MetricFamilySamples(
                "signet_token_reviews", Type.COUNTER, "Tokens sent to the API server's TokenReview", reviews));
        families.add(new MetricFamilySamples(
                "signet_token_cache_hits",
                Type.COUNTER,
                "Tokens answered from what an earlier TokenReview decided",
                kept));
        families.add(histogram(
                "grpc_server_handling_seconds",
                "Unary gRPC calls (CSRs among them) from arrival to answer, by method",
                METHOD_LABELS,
                durations));
        return families;
    }

    private static List<String> values(GrpcCallMetrics.Method method) {
        return List.of(method.service(), method.method(), method.type());
    }

    /** One histogram's snapshot and its label values. */
    private record Labelled(List<String> values, LatencyHistogram.Snapshot snapshot) {}

    private static MetricFamilySamples histogram(
            String name, String help, List<String> labels, List<Labelled> histograms) {
        List<MetricFamilySamples.Sample> samples = new ArrayList<>();
        List<String> bucketLabels = new ArrayList<>(labels);
        bucketLabels.add("le");
        for (Labelled h : histograms) {
            LatencyHistogram.Snapshot s = h.snapshot();
            for (int i = 0; i < s.bounds().length; i++) {
                List<String> values = new ArrayList<>(h.values());
                values.add(doubleToGoString(s.bounds()[i]));
                samples.add(new MetricFamilySamples.Sample(name + "_bucket", bucketLabels, values, s.cumulative()[i]));
            }
            List<String> infinite = new ArrayList<>(h.values());
            infinite.add("+Inf");
            samples.add(new MetricFamilySamples.Sample(name + "_bucket", bucketLabels, infinite, s.count()));
            samples.add(new MetricFamilySamples.Sample(name + "_count", labels, h.values(), s.count()));
            samples.add(new MetricFamilySamples.Sample(name + "_sum", labels, h.values(), s.sum()));
        }
        return new MetricFamilySamples(name, Type.HISTOGRAM, help, samples);
    }
}
