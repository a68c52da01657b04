package dev.signet.operator.kubernetes;

import dev.signet.ca.authority.AuthorityMinter;
import dev.signet.ca.authority.CaMaterial;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The CA's key material in the control plane's namespace, under the file names of Istio's plug-in CA. A Secret
 * {@code cacerts} (a plug-in CA the admin supplies) wins; otherwise {@code signet-ca} is read, or created on first start.
 * Creation is one atomic create: when two replicas start at once the API server lets one win and the other adopts its
 * Secret, so there are never two CAs. Key material is never logged.
 */
final class CaSecret {

    static final String GENERATED = "signet-ca";
    static final String PLUG_IN = "cacerts";
    private static final Logger LOG = Logger.getLogger(CaSecret.class.getName());

    private final KubernetesClient client;
    private final String namespace;

    CaSecret(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    CaMaterial loadOrCreate(String trustDomain, CryptoProviders providers, Clock clock, SecureRandom random) {
        Secret existing = inUse();
        if (existing != null) {
            if (PLUG_IN.equals(existing.getMetadata().getName())) {
                LOG.info(() -> "using the plug-in CA in Secret " + namespace + "/" + PLUG_IN);
            }
            return material(existing);
        }
        CaMaterial minted = CaMaterial.of(
                new AuthorityMinter(providers, clock, random).mint(trustDomain, KeyType.EC_P256), origin(GENERATED));
        try {
            client.secrets()
                    .inNamespace(namespace)
                    .resource(secret(GENERATED, minted))
                    .create();
            LOG.info(() -> "created the CA in Secret " + namespace + "/" + GENERATED);
            return minted;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            LOG.info(() -> "another replica created Secret " + namespace + "/" + GENERATED + " first; using it");
            return material(get(GENERATED));
        }
    }

    /** The Secret the CA in use is read from: the plug-in CA when there is one; null when neither exists. */
    Secret inUse() {
        Secret plugIn = get(PLUG_IN);
        return plugIn != null ? plugIn : get(GENERATED);
    }

    Secret get(String name) {
        return client.secrets().inNamespace(namespace).withName(name).get();
    }

    /** Secret {@code name} holding {@code material}'s files under their plug-in names. */
    Secret secret(String name, CaMaterial material) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .addToLabels("app.kubernetes.io/managed-by", "signet")
                .endMetadata()
                .withType("Opaque")
                .withData(data(material))
                .build();
    }

    static Map<String, String> data(CaMaterial material) {
        Map<String, String> data = new LinkedHashMap<>();
        material.files()
                .forEach((name, pem) ->
                        data.put(name, Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII))));
        return data;
    }

    CaMaterial material(Secret secret) {
        Map<String, String> files = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData()
                    .forEach((name, base64) ->
                            files.put(name, new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII)));
        }
        files.keySet().retainAll(CaMaterial.NAMES);
        return new CaMaterial(files, origin(secret.getMetadata().getName()));
    }

    private String origin(String name) {
        return "Secret " + namespace + "/" + name;
    }
}
