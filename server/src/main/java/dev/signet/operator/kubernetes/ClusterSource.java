package dev.signet.operator.kubernetes;

import dev.signet.controlplane.environment.MeshSource;
import dev.signet.controlplane.environment.PolicyCounts;
import dev.signet.operator.crd.AuthorizationPolicyResource;
import dev.signet.operator.crd.PeerAuthenticationResource;
import dev.signet.policy.model.Resource;
import dev.signet.policy.select.IncrementalMesh;
import dev.signet.policy.select.MeshPolicies;
import dev.signet.policy.validate.FailClosed;
import dev.signet.policy.validate.FieldError;
import dev.signet.policy.validate.PolicyValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster as the policy compiler sees it, on every replica (read only): informers on Pods and both policy kinds;
 * any change schedules one rebuild of the mesh, which goes to the xDS server (that pushes only proxies whose resources
 * changed). A policy whose new generation is invalid keeps its last valid generation in force; one that was never
 * valid is not left out (for an ALLOW policy that would open its workloads to everyone) but fails closed: its
 * {@link FailClosed} stand-in is in force until a generation is valid.
 */
public final class ClusterSource implements MeshSource {

    private static final Logger LOG = Logger.getLogger(ClusterSource.class.getName());
    private static final long COALESCE_MILLIS = 20;

    /** A policy as it is in force: the model, and the generation and resource version it came from. */
    record InForce(Resource resource, long generation, String resourceVersion) {}

    /** A resource version found invalid, and what stands in for it while no version of the policy has been valid. */
    record Invalid(String resourceVersion, Optional<Resource> standIn) {}

    /** A Pod's workload as mapped at one resource version (empty: not a workload of the mesh). */
    private record MappedPod(String resourceVersion, Optional<Resource> workload) {}

    private final KubernetesClient client;
    private final PolicyValidator validator;
    /** Rebuilds only the indexes of the policies that changed since the last rebuild, where it can. */
    private final IncrementalMesh meshes;

    private volatile Consumer<MeshPolicies> sink;
    private volatile ScheduledExecutorService scheduler;
    private final AtomicBoolean rebuildPending = new AtomicBoolean();
    private final Map<String, InForce> lastGood = new ConcurrentHashMap<>();
    private final Map<String, Invalid> invalid = new ConcurrentHashMap<>();
    /**
     * Each Pod mapped once per resource version: every rebuild (any policy's change) went through all of them
     * again, and the same objects let the incremental mesh see at once that the workloads are unchanged.
     */
    private final Map<String, MappedPod> mappedPods = new HashMap<>();

    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private volatile Map<String, Long> inForceGenerations = Map.of();
    private volatile long rebuilds;
    /** Set once every informer exists: their first events arrive while the later ones are still being made. */
    private volatile boolean started;

    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<AuthorizationPolicyResource> authorizationPolicies;
    private SharedIndexInformer<PeerAuthenticationResource> peerAuthentications;

    public ClusterSource(KubernetesClient client, String rootNamespace) {
        this.client = client;
        this.validator = new PolicyValidator(rootNamespace);
        this.meshes = new IncrementalMesh(rootNamespace);
    }

    /** Starts the informers; every change schedules one rebuild on {@code rebuilds}, whose mesh goes to {@code meshes}. */
    @Override
    public void start(Consumer<MeshPolicies> meshes, ScheduledExecutorService rebuilds) {
        this.sink = meshes;
        this.scheduler = rebuilds;
        pods = track(client.pods().inAnyNamespace().inform(new RebuildOnChange<>(ModelMapping::workload)));
        authorizationPolicies = track(client.resources(AuthorizationPolicyResource.class)
                .inAnyNamespace()
                .inform(new RebuildOnChange<>(ModelMapping::authorizationPolicy)));
        peerAuthentications = track(client.resources(PeerAuthenticationResource.class)
                .inAnyNamespace()
                .inform(new RebuildOnChange<>(ModelMapping::peerAuthentication)));
        started = true;
        requestRebuild();
    }

    /**
     * Any add or delete of a watched object schedules one (coalesced) rebuild, and so does an update that changes what
     * the mesh is built from ({@code meaning}: the object as the mesh sees it). An update of the status alone (the
     * operator's own status write after every change, a kubelet's Pod conditions) schedules none: at 20,000 objects
     * each rebuild costs a good part of a core-second, which a push in progress needs.
     */
    private final class RebuildOnChange<T> implements ResourceEventHandler<T> {
        private final Function<T, ?> meaning;

        RebuildOnChange(Function<T, ?> meaning) {
            this.meaning = meaning;
        }

        @Override
        public void onAdd(T object) {
            requestRebuild();
        }

        @Override
        public void onUpdate(T before, T after) {
            if (changesTheMesh(before, after)) {
                requestRebuild();
            }
        }

        private boolean changesTheMesh(T before, T after) {
            try {
                return !Objects.equals(meaning.apply(before), meaning.apply(after));
            } catch (RuntimeException e) {
                return true; // what cannot be compared is rebuilt, and the rebuild reports it
            }
        }

        @Override
        public void onDelete(T object, boolean finalStateUnknown) {
            requestRebuild();
        }
    }

    private <T> SharedIndexInformer<T> track(SharedIndexInformer<T> informer) {
        informers.add(informer);
        return informer;
    }

    /** Every informer has listed its kind and the mesh was built from them at least once. */
    @Override
    public boolean ready() {
        return started && informers.stream().allMatch(SharedIndexInformer::hasSynced) && rebuilds > 0;
    }

    /** The generation of {@code kind namespace/name} that is in the pushed configuration, if any. */
    public Optional<Long> generationInForce(String kind, String namespace, String name) {
        return Optional.ofNullable(inForceGenerations.get(ModelMapping.key(kind, namespace, name)));
    }

    /** Errors of a policy's current spec, by the same validator that decides what goes into force. */
    public List<FieldError> errors(Resource resource) {
        return validator.validate(resource).stream()
                .filter(error -> !error.warning())
                .toList();
    }

    private void requestRebuild() {
        if (rebuildPending.compareAndSet(false, true)) {
            scheduler.schedule(this::rebuild, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Policies with a generation in force, and policies whose current generation is invalid. */
    @Override
    public PolicyCounts policyCounts() {
        return new PolicyCounts(lastGood.size(), invalid.size());
    }

    /** Synchronized: a retry and a new event may both run one, and each mesh must follow the one before it. */
    private synchronized void rebuild() {
        rebuildPending.set(false);
        if (!started) {
            return; // start() asks for the first rebuild itself
        }
        try {
            if (!informers.stream().allMatch(SharedIndexInformer::hasSynced)) {
                scheduler.schedule(this::requestRebuild, 100, TimeUnit.MILLISECONDS);
                return;
            }
            List<Resource> resources = new ArrayList<>();
            Map<String, Long> generations = new HashMap<>();
            Set<String> live = new HashSet<>();
            collect(authorizationPolicies, ModelMapping::authorizationPolicy, resources, generations, live);
            collect(peerAuthentications, ModelMapping::peerAuthentication, resources, generations, live);
            lastGood.keySet().retainAll(live);
            invalid.keySet().retainAll(live);
            Set<String> livePods = new HashSet<>();
            for (Pod pod : pods.getStore().list()) {
                // The API server gives every object its uid and resource version.
                String uid = pod.getMetadata().getUid();
                String version = pod.getMetadata().getResourceVersion();
                livePods.add(uid);
                MappedPod mapped = mappedPods.get(uid);
                if (mapped == null || !Objects.equals(version, mapped.resourceVersion())) {
                    mapped = new MappedPod(version, ModelMapping.workload(pod).map(Resource.class::cast));
                    mappedPods.put(uid, mapped);
                }
                mapped.workload().ifPresent(resources::add);
            }
            mappedPods.keySet().retainAll(livePods);
            sink.accept(meshes.update(resources));
            inForceGenerations = Map.copyOf(generations);
            rebuilds++;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "building the mesh from the cluster failed; the last configuration stays", e);
            scheduler.schedule(this::requestRebuild, 1, TimeUnit.SECONDS);
        }
    }

    private <T extends HasMetadata> void collect(
            SharedIndexInformer<T> informer,
            Function<T, Resource> toModel,
            List<Resource> into,
            Map<String, Long> generations,
            Set<String> live) {
        for (T object : informer.getStore().list()) {
            String uid = object.getMetadata().getUid();
            live.add(uid);
            long generation =
                    Optional.ofNullable(object.getMetadata().getGeneration()).orElse(0L);
            InForce inForce = lastGood.get(uid);
            String version = object.getMetadata().getResourceVersion();
            // A Pod event rebuilds the mesh too: a version already judged is not validated again. The resource
            // version, not the generation, because annotations (dry-run) change without a new generation.
            if (inForce == null || !Objects.equals(inForce.resourceVersion(), version)) {
                Invalid invalid = this.invalid.get(uid);
                if (invalid == null || !Objects.equals(invalid.resourceVersion(), version)) {
                    Resource model = toModel.apply(object);
                    List<FieldError> errors = errors(model);
                    if (errors.isEmpty()) {
                        inForce = new InForce(model, generation, version);
                        lastGood.put(uid, inForce);
                        this.invalid.remove(uid);
                    } else {
                        this.invalid.put(
                                uid,
                                new Invalid(
                                        version, FailClosed.of(model, errors).map(FailClosed.StandIn::resource)));
                    }
                }
            }
            if (inForce != null) {
                into.add(inForce.resource());
                generations.put(ModelMapping.key(inForce.resource()), inForce.generation());
            } else {
                Optional.ofNullable(this.invalid.get(uid))
                        .flatMap(Invalid::standIn)
                        .ifPresent(into::add);
            }
        }
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
    }
}
