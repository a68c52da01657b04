package dev.signet.policy.load;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.policy.validate.FieldError;
import dev.signet.policy.validate.FieldPath;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a parsed document against the model's record types before binding, collecting every unknown field,
 * wrong type and invalid enum value with its path (binding alone would stop at the first). Records marked
 * {@code @JsonIgnoreProperties(ignoreUnknown = true)} accept unknown fields; names listed in
 * {@code @JsonIgnoreProperties} are skipped.
 */
final class StructureChecker {

    private StructureChecker() {}

    static List<FieldError> check(JsonNode node, Class<?> recordType) {
        List<FieldError> errors = new ArrayList<>();
        checkValue(node, recordType, FieldPath.root(), errors);
        return errors;
    }

    private static void checkValue(JsonNode node, Type type, FieldPath path, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return;
        }
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] arguments = parameterized.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                if (!node.isArray()) {
                    errors.add(FieldError.error(path, "expected a list, found " + describe(node)));
                    return;
                }
                for (int i = 0; i < node.size(); i++) {
                    checkValue(node.get(i), arguments[0], path.index(i), errors);
                }
                return;
            }
            if (Map.class.isAssignableFrom(raw)) {
                if (!node.isObject()) {
                    errors.add(FieldError.error(path, "expected a map, found " + describe(node)));
                    return;
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    checkValue(entry.getValue(), arguments[1], path.key(entry.getKey()), errors);
                }
                return;
            }
        }
        Class<?> cls = (Class<?>) type;
        if (cls.isRecord()) {
            checkRecord(node, cls, path, errors);
        } else if (cls.isEnum()) {
            List<String> names =
                    Arrays.stream(cls.getEnumConstants()).map(Object::toString).toList();
            if (!node.isTextual() || !names.contains(node.asText())) {
                errors.add(FieldError.error(
                        path, "must be one of " + String.join(", ", names) + ", found " + describe(node)));
            }
        } else if (cls == String.class) {
            if (!node.isValueNode()) {
                errors.add(FieldError.error(path, "expected a string, found " + describe(node)));
            }
        } else if (cls == Integer.class || cls == Long.class || cls == int.class || cls == long.class) {
            if (!node.isIntegralNumber()) {
                errors.add(FieldError.error(path, "expected a whole number, found " + describe(node)));
            }
        } else if (cls == Boolean.class || cls == boolean.class) {
            if (!node.isBoolean()) {
                errors.add(FieldError.error(path, "expected true or false, found " + describe(node)));
            }
        }
    }

    private static void checkRecord(JsonNode node, Class<?> type, FieldPath path, List<FieldError> errors) {
        if (!node.isObject()) {
            errors.add(FieldError.error(path, "expected an object, found " + describe(node)));
            return;
        }
        JsonIgnoreProperties ignore = type.getAnnotation(JsonIgnoreProperties.class);
        boolean lenient = ignore != null && ignore.ignoreUnknown();
        Set<String> ignored = ignore == null ? Set.of() : Set.of(ignore.value());
        Map<String, RecordComponent> components =
                Arrays.stream(type.getRecordComponents()).collect(Collectors.toMap(RecordComponent::getName, c -> c));
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            if (ignored.contains(name)) {
                continue;
            }
            RecordComponent component = components.get(name);
            if (component == null) {
                if (!lenient) {
                    errors.add(FieldError.error(path.field(name), unknownField(name, components.keySet())));
                }
                continue;
            }
            checkValue(field.getValue(), component.getGenericType(), path.field(name), errors);
        }
    }

    private static String unknownField(String name, Set<String> known) {
        String suggestion = known.stream()
                .filter(candidate -> Similarity.distance(candidate.toLowerCase(), name.toLowerCase()) <= 2)
                .min((a, b) -> Integer.compare(Similarity.distance(a, name), Similarity.distance(b, name)))
                .map(candidate -> "; did you mean '" + candidate + "'?")
                .orElse("; known fields: " + known.stream().sorted().collect(Collectors.joining(", ")));
        return "unknown field '" + name + "'" + suggestion;
    }

    private static String describe(JsonNode node) {
        if (node.isTextual()) {
            String text = node.asText();
            return "\"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "an object";
        }
        return node.toString();
    }
}
