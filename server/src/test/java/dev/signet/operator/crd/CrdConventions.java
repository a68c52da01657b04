package dev.signet.operator.crd;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the generator does not write and kubectl, kstatus and GitOps tools read: the labels every Signet object
 * carries, descriptions of the kind, its spec and status (from {@link JsonClassDescription}; {@code kubectl explain}
 * shows them), {@code status.conditions} as a map keyed by type (so server-side apply merges conditions instead of
 * replacing the list), and the printer columns in the order the class declares them (the generator sorts them by
 * name; kubectl shows them in file order).
 */
final class CrdConventions {

    /** On the CRDs in {@code crds/}; the chart adds the release's labels instead. */
    static final Map<String, String> LABELS = new TreeMap<>(Map.of(
            "app.kubernetes.io/name", "signet",
            "app.kubernetes.io/part-of", "signet",
            "app.kubernetes.io/component", "crd"));

    private CrdConventions() {}

    static CustomResourceDefinition apply(CustomResourceDefinition crd, Class<?> type) {
        crd.getMetadata().setLabels(LABELS);
        for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
            JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
            root.setDescription(describe(type));
            Type[] parts = ((ParameterizedType) type.getGenericSuperclass()).getActualTypeArguments();
            root.getProperties().get("spec").setDescription(describe((Class<?>) parts[0]));
            JSONSchemaProps status = root.getProperties().get("status");
            status.setDescription(describe((Class<?>) parts[1]));
            JSONSchemaProps conditions = status.getProperties().get("conditions");
            if (conditions == null) {
                throw new IllegalStateException(type.getSimpleName() + "'s status has no conditions");
            }
            conditions.setXKubernetesListType("map");
            conditions.setXKubernetesListMapKeys(List.of("type"));
            conditions.getItems().getSchema().setRequired(List.of("status", "type"));
            version.setAdditionalPrinterColumns(inDeclaredOrder(version.getAdditionalPrinterColumns(), type));
        }
        return crd;
    }

    private static String describe(Class<?> type) {
        JsonClassDescription description = type.getAnnotation(JsonClassDescription.class);
        if (description == null) {
            throw new IllegalStateException(type.getName() + " needs a @JsonClassDescription for kubectl explain");
        }
        return description.value();
    }

    /** {@code columns} as {@code type} declares its {@link AdditionalPrinterColumn}s; each must have been generated. */
    static List<CustomResourceColumnDefinition> inDeclaredOrder(
            List<CustomResourceColumnDefinition> columns, Class<?> type) {
        List<String> declared = new ArrayList<>();
        for (AdditionalPrinterColumn column : type.getAnnotationsByType(AdditionalPrinterColumn.class)) {
            declared.add(column.name());
        }
        List<String> generated =
                columns.stream().map(CustomResourceColumnDefinition::getName).toList();
        for (String name : declared) {
            if (!generated.contains(name)) {
                throw new IllegalStateException("the printer column " + name + " was not generated");
            }
        }
        List<CustomResourceColumnDefinition> ordered = new ArrayList<>(columns);
        ordered.sort(Comparator.comparingInt(column -> {
            int at = declared.indexOf(column.getName());
            return at < 0 ? Integer.MAX_VALUE : at;
        }));
        return ordered;
    }
}
