package dev.signet.controlplane.replicas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.ca.inventory.IssuedLeaf;
import dev.signet.ca.inventory.IssuedLeaves;
import dev.signet.controlplane.rotation.WorkloadConfirmation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One replica's observations at {@code at}: the bundle versions its agents confirmed, the leaves in use it issued
 * (by authority), and the serials renewals named to it as replaced, each with the holder that named it (a leaf is out
 * of use only when its own holder gave it up). {@code replica} is the name it goes by among the others (in a cluster,
 * its pod's). Serials are hexadecimal. {@code jwtSvids} says until when JWT-SVIDs it signed under each root may be
 * valid.
 */
public record ReplicaReport(
        String replica,
        Instant at,
        List<WorkloadConfirmation> workloads,
        Map<String, List<Leaf>> leaves,
        Set<Replaced> replaced,
        Map<String, Instant> jwtSvids) {

    /** A leaf in use: its serial, holder and expiry. */
    public record Leaf(String serial, String holder, Instant notAfter) {}

    /** A serial its holder said it replaced. */
    public record Replaced(String serial, String holder) implements Comparable<Replaced> {
        @Override
        public int compareTo(Replaced other) {
            int bySerial = serial.compareTo(other.serial);
            return bySerial != 0 ? bySerial : holder.compareTo(other.holder);
        }
    }

    public ReplicaReport {
        workloads = List.copyOf(workloads);
        leaves = Map.copyOf(leaves);
        replaced = Set.copyOf(replaced);
        jwtSvids = Map.copyOf(jwtSvids);
    }

    /** A report of a replica that signed no JWT-SVID still valid. */
    public ReplicaReport(
            String replica,
            Instant at,
            List<WorkloadConfirmation> workloads,
            Map<String, List<Leaf>> leaves,
            Set<Replaced> replaced) {
        this(replica, at, workloads, leaves, replaced, Map.of());
    }

    public static ReplicaReport of(
            String replica,
            Instant at,
            List<WorkloadConfirmation> workloads,
            IssuedLeaves inventory,
            Map<String, Instant> jwtSvids) {
        Set<Replaced> replaced = new TreeSet<>();
        inventory
                .replacements()
                .forEach(r -> replaced.add(
                        new Replaced(r.serial().toString(16), r.holder().uri())));
        return new ReplicaReport(replica, at, workloads, leavesInUse(inventory, at), replaced, jwtSvids);
    }

    /**
     * As {@link #of}, without the replacements: enough for a replica that hears from no other, whose leaves in use are
     * already only those not replaced. Listing every replacement (each renewal makes one, kept until the old leaf
     * expires) was most of the cost of judging a rotation's gate ten times a second once renewals piled up.
     */
    public static ReplicaReport ofLeavesInUse(
            String replica,
            Instant at,
            List<WorkloadConfirmation> workloads,
            IssuedLeaves inventory,
            Map<String, Instant> jwtSvids) {
        return new ReplicaReport(replica, at, workloads, leavesInUse(inventory, at), Set.of(), jwtSvids);
    }

    private static Map<String, List<Leaf>> leavesInUse(IssuedLeaves inventory, Instant at) {
        Map<String, List<Leaf>> leaves = new LinkedHashMap<>();
        inventory
                .inUseByAuthority(at)
                .forEach((authority, inUse) -> leaves.put(
                        authority, inUse.stream().map(ReplicaReport::leaf).toList()));
        return leaves;
    }

    /** This report, as still current at {@code time}. */
    /** This report without the leaves {@code holder} holds. */
    public ReplicaReport withoutLeavesOf(String holder) {
        Map<String, List<Leaf>> kept = new LinkedHashMap<>();
        leaves.forEach((authority, held) -> kept.put(
                authority,
                held.stream().filter(leaf -> !leaf.holder().equals(holder)).toList()));
        return new ReplicaReport(replica, at, workloads, kept, replaced, jwtSvids);
    }

    public ReplicaReport at(Instant time) {
        return new ReplicaReport(replica, time, workloads, leaves, replaced, jwtSvids);
    }

    /** Whether {@code other} observed the same as this report, whenever it was made. */
    public boolean sameObservations(ReplicaReport other) {
        return workloads.equals(other.workloads)
                && leaves.equals(other.leaves)
                && replaced.equals(other.replaced)
                && jwtSvids.equals(other.jwtSvids);
    }

    /**
     * Whether this report no longer tells anything: its replica has not been heard from within {@code fresh} (so it
     * is gone) and every leaf it named has expired.
     */
    public boolean obsolete(Instant now, Duration fresh) {
        return at.plus(fresh).isBefore(now)
                && leaves.values().stream()
                        .flatMap(List::stream)
                        .noneMatch(leaf -> leaf.notAfter().isAfter(now))
                && jwtSvids.values().stream().noneMatch(until -> until.isAfter(now));
    }

    private static Leaf leaf(IssuedLeaf leaf) {
        return new Leaf(leaf.serial().toString(16), leaf.id().uri(), leaf.notAfter());
    }

    public String toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("replica", replica);
        root.put("at", at.toString());
        ObjectNode confirmed = root.putObject("workloads");
        workloads.forEach(w -> confirmed.put(w.workload(), w.confirmedVersion()));
        ObjectNode byAuthority = root.putObject("leaves");
        leaves.forEach((authority, list) -> {
            var array = byAuthority.putArray(authority);
            list.forEach(l -> array.addObject()
                    .put("serial", l.serial())
                    .put("holder", l.holder())
                    .put("notAfter", l.notAfter().toString()));
        });
        var replacedArray = root.putArray("replaced");
        replaced.stream()
                .sorted()
                .forEach(
                        r -> replacedArray.addObject().put("serial", r.serial()).put("holder", r.holder()));
        ObjectNode jwt = root.putObject("jwtSvids");
        new java.util.TreeMap<>(jwtSvids).forEach((authority, until) -> jwt.put(authority, until.toString()));
        try {
            return mapper.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses {@link #toJson()}; anything else is refused with what is wrong. */
    public static ReplicaReport fromJson(String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (root == null
                || !root.path("replica").isTextual()
                || !root.path("at").isTextual()) {
            throw new IllegalArgumentException("a replica report needs replica and at");
        }
        try {
            List<WorkloadConfirmation> workloads = new ArrayList<>();
            root.path("workloads")
                    .fields()
                    .forEachRemaining(e -> workloads.add(
                            new WorkloadConfirmation(e.getKey(), e.getValue().asLong())));
            Map<String, List<Leaf>> leaves = new LinkedHashMap<>();
            root.path("leaves").fields().forEachRemaining(e -> {
                List<Leaf> list = new ArrayList<>();
                e.getValue()
                        .forEach(l -> list.add(new Leaf(
                                new BigInteger(l.path("serial").asText(), 16).toString(16),
                                l.path("holder").asText(),
                                Instant.parse(l.path("notAfter").asText()))));
                leaves.put(e.getKey(), list);
            });
            Set<Replaced> replaced = new TreeSet<>();
            // An entry without a holder (a replica of an earlier release) cannot be judged, so it is not taken.
            root.path("replaced").forEach(r -> {
                if (r.isObject() && r.path("holder").isTextual()) {
                    replaced.add(new Replaced(
                            new BigInteger(r.path("serial").asText(), 16).toString(16),
                            r.path("holder").asText()));
                }
            });
            Map<String, Instant> jwtSvids = new LinkedHashMap<>();
            root.path("jwtSvids")
                    .fields()
                    .forEachRemaining(e ->
                            jwtSvids.put(e.getKey(), Instant.parse(e.getValue().asText())));
            return new ReplicaReport(
                    root.get("replica").asText(),
                    Instant.parse(root.get("at").asText()),
                    workloads,
                    leaves,
                    replaced,
                    jwtSvids);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("a damaged replica report: " + e.getMessage(), e);
        }
    }
}
