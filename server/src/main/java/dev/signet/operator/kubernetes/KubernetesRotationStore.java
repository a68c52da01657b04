package dev.signet.operator.kubernetes;

import dev.signet.ca.authority.CaMaterial;
import dev.signet.controlplane.rotation.RotationJson;
import dev.signet.controlplane.rotation.RotationRecord;
import dev.signet.controlplane.rotation.RotationStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A rotation in the control plane's namespace: the record in ConfigMap {@code signet-rotation} (no key material),
 * the new CA in Secret {@code signet-ca-next}, retired CAs kept on request in {@code signet-ca-archive-<millis>}.
 *
 * <p>The record is written with the resourceVersion last read or written here, so a replica that lost the Lease
 * without knowing it cannot overwrite what the new leader recorded: the API server refuses the stale write.
 */
final class KubernetesRotationStore implements RotationStore {

    static final String RECORD = "signet-rotation";
    static final String RECORD_KEY = "state.json";
    static final String CANDIDATE = "signet-ca-next";
    static final String ARCHIVE_PREFIX = "signet-ca-archive-";
    private static final Logger LOG = Logger.getLogger(KubernetesRotationStore.class.getName());

    private final KubernetesClient client;
    private final String namespace;
    private final CaSecret ca;
    private final Clock clock;
    private final RotationJson json = new RotationJson();
    /** The resourceVersion of the record as last seen; null while none exists. */
    private String seenVersion;

    KubernetesRotationStore(KubernetesClient client, String namespace, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.ca = new CaSecret(client, namespace);
        this.clock = clock;
    }

    @Override
    public synchronized RotationRecord load() throws IOException {
        ConfigMap stored =
                client.configMaps().inNamespace(namespace).withName(RECORD).get();
        if (stored == null) {
            seenVersion = null;
            return RotationRecord.INITIAL;
        }
        String text = stored.getData() == null ? null : stored.getData().get(RECORD_KEY);
        if (text == null) {
            throw new IOException("ConfigMap " + namespace + "/" + RECORD + " has no " + RECORD_KEY);
        }
        try {
            RotationRecord record = json.read(text);
            seenVersion = stored.getMetadata().getResourceVersion();
            return record;
        } catch (IllegalArgumentException e) {
            throw new IOException("ConfigMap " + namespace + "/" + RECORD + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void save(RotationRecord record) throws IOException {
        ConfigMap desired = new ConfigMapBuilder()
                .withNewMetadata()
                .withName(RECORD)
                .withNamespace(namespace)
                .withResourceVersion(seenVersion)
                .addToLabels("app.kubernetes.io/managed-by", "signet")
                .endMetadata()
                .addToData(RECORD_KEY, json.write(record))
                .build();
        try {
            ConfigMap written = seenVersion == null
                    ? client.configMaps()
                            .inNamespace(namespace)
                            .resource(desired)
                            .create()
                    : client.configMaps()
                            .inNamespace(namespace)
                            .resource(desired)
                            .update();
            seenVersion = written.getMetadata().getResourceVersion();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw new IOException(
                        "another replica changed the rotation's record first (ConfigMap " + namespace + "/" + RECORD
                                + "); this replica no longer drives it",
                        e);
            }
            throw new IOException("cannot write ConfigMap " + namespace + "/" + RECORD + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<CaMaterial> candidate() throws IOException {
        try {
            return Optional.ofNullable(ca.get(CANDIDATE)).map(ca::material);
        } catch (KubernetesClientException e) {
            throw new IOException("cannot read Secret " + namespace + "/" + CANDIDATE + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void saveCandidate(CaMaterial material) throws IOException {
        try {
            client.secrets().inNamespace(namespace).withName(CANDIDATE).delete();
            client.secrets()
                    .inNamespace(namespace)
                    .resource(ca.secret(CANDIDATE, material))
                    .create();
        } catch (KubernetesClientException e) {
            throw new IOException("cannot write Secret " + namespace + "/" + CANDIDATE + ": " + e.getMessage(), e);
        }
    }

    /**
     * Promotion writes the candidate's files into the CA Secret in use (the plug-in {@code cacerts} when that is what
     * the control plane reads), so that every replica started later loads the new CA. Repeating it after a crash
     * writes the same data again; an archive is only made of a CA that differs from the candidate.
     */
    @Override
    public void finish(boolean promote, boolean archive) throws IOException {
        try {
            Secret next = ca.get(CANDIDATE);
            if (next == null) {
                return;
            }
            CaMaterial candidate = ca.material(next);
            if (promote) {
                Secret current = ca.inUse();
                if (current == null) {
                    throw new IOException("neither Secret " + namespace + "/" + CaSecret.PLUG_IN + " nor "
                            + CaSecret.GENERATED + " exists to take the new CA");
                }
                String inUse = current.getMetadata().getName();
                if (archive && !CaSecret.data(candidate).equals(current.getData())) {
                    archive(ca.material(current));
                }
                client.secrets().inNamespace(namespace).withName(inUse).edit(secret -> {
                    secret.setData(CaSecret.data(candidate));
                    return secret;
                });
                LOG.info(() -> "the new CA is now in Secret " + namespace + "/" + inUse);
            } else if (archive) {
                archive(candidate);
            }
            client.secrets().inNamespace(namespace).withName(CANDIDATE).delete();
        } catch (KubernetesClientException e) {
            throw new IOException("cannot finish the rotation's Secrets: " + e.getMessage(), e);
        }
    }

    private void archive(CaMaterial material) {
        String name = ARCHIVE_PREFIX + clock.millis();
        client.secrets()
                .inNamespace(namespace)
                .resource(ca.secret(name, material))
                .create();
        LOG.info(() -> "the retired CA's keys are kept in Secret " + namespace + "/" + name);
    }
}
