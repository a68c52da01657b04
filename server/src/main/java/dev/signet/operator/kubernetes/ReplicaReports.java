package dev.signet.operator.kubernetes;

import dev.signet.controlplane.environment.PeerReplicas;
import dev.signet.controlplane.replicas.OtherReplicas;
import dev.signet.controlplane.replicas.ReplicaReport;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Every replica's {@link ReplicaReport} as a ConfigMap {@code signet-replica-<identity>} in the control plane's
 * namespace: each replica writes its own and watches the others'. The report is gzipped JSON: holders' names repeat,
 * so a ConfigMap's 1 MiB holds a replica of some fifteen thousand agents (20,000 leaves, as many confirmations and
 * 5,000 replaced serials come to about 940 KB). It is rewritten only when what it says changes; a Lease of
 * the same name, renewed on every publish, says the replica is alive and its report still current, the way kubelets
 * keep their node's status apart from their heartbeat.
 */
final class ReplicaReports implements PeerReplicas, AutoCloseable {

    static final String LABEL = "signet.dev/replica-report";
    static final String KEY = "report.json.gz";
    /** Where a report too large to publish says so. */
    static final String TOO_LARGE = "too-large";
    /** A report not renewed for this long is a gone replica's: its agents' confirmations no longer count. */
    static final Duration FRESH = Duration.ofSeconds(10);
    /** The API server refuses objects above 1 MiB; leave room for the metadata. */
    private static final int LARGEST = 900 * 1024;

    private static final Logger LOG = Logger.getLogger(ReplicaReports.class.getName());

    private final KubernetesClient client;
    private final String namespace;
    private final String own;
    private final SharedIndexInformer<ConfigMap> reports;
    private final SharedIndexInformer<Lease> heartbeats;
    /**
     * The last reading of each report by ConfigMap name: the gates ask for every report every second, and a report is
     * unzipped and parsed again only when its resourceVersion changes. A report that could not be read has none.
     */
    private final Map<String, Reading> readings = new ConcurrentHashMap<>();

    private record Reading(String resourceVersion, ReplicaReport report) {}

    private ReplicaReport written;

    ReplicaReports(KubernetesClient client, String namespace, String identity) {
        this.client = client;
        this.namespace = namespace;
        this.own = name(identity);
        this.reports = client.configMaps()
                .inNamespace(namespace)
                .withLabel(LABEL, "true")
                .inform();
        this.heartbeats =
                client.leases().inNamespace(namespace).withLabel(LABEL, "true").inform();
    }

    /** A ConfigMap name for {@code identity}: lower case, [a-z0-9-], at most 63 characters. */
    static String name(String identity) {
        String cleaned =
                identity.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        String name = "signet-replica-" + cleaned;
        return name.length() > 63 ? name.substring(0, 63).replaceAll("-+$", "") : name;
    }

    /** Writes this replica's report if it says something new, and renews the Lease that says it is current. */
    synchronized void publish(ReplicaReport report) {
        // Written again if someone deleted it: a Lease renewed without its report would hide this replica's agents.
        boolean missing = reports.getStore().getByKey(namespace + "/" + own) == null;
        if (written == null || missing || !written.sameObservations(report)) {
            write(report);
        }
        if (written != null) {
            renew(report.at());
        }
    }

    private void write(ReplicaReport report) {
        ConfigMap map = encode(own, namespace, report, LARGEST);
        if (map.getData() != null && map.getData().containsKey(TOO_LARGE)) {
            LOG.warning(() -> "ConfigMap " + namespace + "/" + own + ": "
                    + map.getData().get(TOO_LARGE) + "; a rotation's gates hold until it fits");
        }
        try {
            client.configMaps().inNamespace(namespace).resource(map).createOr(NonDeletingOperation::update);
            written = report;
        } catch (KubernetesClientException e) {
            LOG.warning(() -> "could not publish this replica's observations (" + own + "): " + e.getMessage());
        }
    }

    /**
     * The ConfigMap {@code name} for {@code report}. One too large for a ConfigMap ({@code largest} bytes gzipped)
     * says so instead, and the others read that as a report they cannot read: their gates hold, as they must when
     * a replica's agents cannot be counted, rather than go on with what it said before.
     */
    static ConfigMap encode(String name, String namespace, ReplicaReport report, int largest) {
        ConfigMapBuilder map = new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .addToLabels(LABEL, "true")
                .addToLabels("app.kubernetes.io/managed-by", "signet")
                .endMetadata();
        byte[] gzipped = gzip(report.toJson());
        if (gzipped.length > largest) {
            int leaves = report.leaves().values().stream().mapToInt(List::size).sum();
            return map.addToData(
                            TOO_LARGE,
                            "the report of " + report.workloads().size() + " agents and " + leaves + " leaves is "
                                    + gzipped.length + " bytes gzipped, more than a ConfigMap holds")
                    .build();
        }
        return map.addToBinaryData(KEY, Base64.getEncoder().encodeToString(gzipped))
                .build();
    }

    private void renew(Instant now) {
        Lease lease = new LeaseBuilder()
                .withNewMetadata()
                .withName(own)
                .withNamespace(namespace)
                .addToLabels(LABEL, "true")
                .addToLabels("app.kubernetes.io/managed-by", "signet")
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(written.replica())
                .withRenewTime(ZonedDateTime.ofInstant(now, ZoneOffset.UTC))
                .endSpec()
                .build();
        try {
            client.leases().inNamespace(namespace).resource(lease).createOr(NonDeletingOperation::update);
        } catch (KubernetesClientException e) {
            LOG.warning(() -> "could not renew this replica's Lease " + own + ": " + e.getMessage());
        }
    }

    /**
     * The other replicas' reports, each as of its Lease's last renewal when that is later than the report itself (the
     * replica says by renewing that nothing changed), by ConfigMap name; a damaged one is named (and said once), for
     * the gates to hold on.
     */
    @Override
    public OtherReplicas others() {
        Map<String, Instant> renewed = new HashMap<>();
        for (Lease lease : heartbeats.getStore().list()) {
            if (lease.getSpec() != null && lease.getSpec().getRenewTime() != null) {
                renewed.put(
                        lease.getMetadata().getName(),
                        lease.getSpec().getRenewTime().toInstant());
            }
        }
        Map<String, ReplicaReport> others = new TreeMap<>();
        List<String> unreadable = new ArrayList<>();
        Set<String> present = new HashSet<>();
        for (ConfigMap map : reports.getStore().list()) {
            String name = map.getMetadata().getName();
            present.add(name);
            if (own.equals(name)) {
                continue;
            }
            String version = map.getMetadata().getResourceVersion();
            Reading reading = readings.get(name);
            if (reading == null || !Objects.equals(reading.resourceVersion(), version)) {
                reading = reading(name, version, map);
                readings.put(name, reading);
            }
            if (reading.report() == null) {
                unreadable.add(name);
                continue;
            }
            ReplicaReport report = reading.report();
            Instant heard = renewed.get(name);
            others.put(name, heard != null && heard.isAfter(report.at()) ? report.at(heard) : report);
        }
        readings.keySet().retainAll(present);
        return new OtherReplicas(others, unreadable, FRESH);
    }

    /** Parses one version of a report; a damaged one is said here, once per version, since each is read once. */
    private Reading reading(String name, String version, ConfigMap map) {
        try {
            return new Reading(version, read(map));
        } catch (IllegalArgumentException e) {
            LOG.warning(() -> "ConfigMap " + namespace + "/" + name + ": " + e.getMessage()
                    + "; a rotation's gates hold until it is mended or deleted");
            return new Reading(version, null);
        }
    }

    /** Deletes the reports of replicas gone long enough that none of their leaves is still valid. */
    void prune(Instant now) {
        for (Map.Entry<String, ReplicaReport> entry : others().reports().entrySet()) {
            ReplicaReport report = entry.getValue();
            if (report.obsolete(now, FRESH)) {
                String name = entry.getKey();
                LOG.info(() -> "deleting ConfigMap " + namespace + "/" + name + ": replica " + report.replica()
                        + " last reported at " + report.at() + " and its leaves have all expired");
                try {
                    client.configMaps().inNamespace(namespace).withName(name).delete();
                    client.leases().inNamespace(namespace).withName(name).delete();
                } catch (KubernetesClientException e) {
                    LOG.warning(() -> "could not delete " + namespace + "/" + name + ": " + e.getMessage());
                }
            }
        }
    }

    static ReplicaReport read(ConfigMap map) {
        if (map.getData() != null && map.getData().containsKey(TOO_LARGE)) {
            throw new IllegalArgumentException(map.getData().get(TOO_LARGE));
        }
        Map<String, String> binary = map.getBinaryData();
        String encoded = binary == null ? null : binary.get(KEY);
        if (encoded == null) {
            throw new IllegalArgumentException("no " + KEY + " in binaryData");
        }
        try {
            return ReplicaReport.fromJson(gunzip(Base64.getDecoder().decode(encoded)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a damaged replica report: " + e.getMessage(), e);
        }
    }

    private static byte[] gzip(String json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** At most {@link #LARGEST} times a generous ratio: a hostile ConfigMap cannot inflate without bound. */
    private static String gunzip(byte[] gzipped) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            byte[] json = in.readNBytes(LARGEST * 20);
            if (in.read() != -1) {
                throw new IllegalArgumentException("larger than " + LARGEST * 20 + " bytes unzipped");
            }
            return new String(json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("not gzip: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        reports.close();
        heartbeats.close();
    }
}
