package dev.signet.agent.workload;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import io.envoyproxy.pgv.validate.Validate;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a message against the protoc-gen-validate constraints written in Envoy's own protos ({@code validate.rules}
 * on fields, {@code validate.required} on oneofs), read from the descriptors: the rules Envoy applies when it takes a
 * resource. The kinds of rule its TLS secrets use are checked (required messages and oneofs, lengths of strings and
 * bytes, item counts, defined enums, integer bounds); a rule of another kind is counted as unchecked.
 */
final class PgvRules {

    record Report(List<String> violations, int checked, int unchecked) {}

    private final List<String> violations = new ArrayList<>();
    private int checked;
    private int unchecked;

    private PgvRules() {}

    static Report check(Message message) {
        PgvRules rules = new PgvRules();
        rules.message(message, message.getDescriptorForType().getName());
        return new Report(List.copyOf(rules.violations), rules.checked, rules.unchecked);
    }

    private void message(Message message, String path) {
        if (message.getDescriptorForType().getOptions().getExtension(Validate.disabled)) {
            return;
        }
        for (OneofDescriptor oneof : message.getDescriptorForType().getOneofs()) {
            if (oneof.getOptions().getExtension(Validate.required)) {
                checked++;
                if (!message.hasOneof(oneof)) {
                    violations.add(path + ": one of " + oneof.getName() + " is required");
                }
            }
        }
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            String at = path + "." + field.getName();
            Validate.FieldRules rules = field.getOptions().getExtension(Validate.rules);
            if (!field.getOptions().hasExtension(Validate.rules)) {
                rules = null;
            }
            if (field.isRepeated()) {
                int count = message.getRepeatedFieldCount(field);
                if (rules != null && rules.hasRepeated()) {
                    repeated(rules.getRepeated(), count, at);
                }
                for (int i = 0; i < count; i++) {
                    Object item = message.getRepeatedField(field, i);
                    if (rules != null
                            && rules.hasRepeated()
                            && rules.getRepeated().hasItems()) {
                        value(rules.getRepeated().getItems(), field, item, at + "[" + i + "]");
                    }
                    if (item instanceof Message nested) {
                        message(nested, at + "[" + i + "]");
                    }
                }
                continue;
            }
            boolean set = field.hasPresence()
                    ? message.hasField(field)
                    : !message.getField(field).equals(field.getDefaultValue());
            if (rules != null && rules.hasMessage() && rules.getMessage().getRequired()) {
                checked++;
                if (!set) {
                    violations.add(at + " is required");
                }
            }
            if (!set) {
                continue;
            }
            Object value = message.getField(field);
            if (rules != null) {
                value(rules, field, value, at);
            }
            if (value instanceof Message nested) {
                message(nested, at);
            }
        }
    }

    private void repeated(Validate.RepeatedRules rules, int count, String at) {
        checked++;
        if (rules.hasMinItems() && count < rules.getMinItems()) {
            violations.add(at + " needs at least " + rules.getMinItems() + " items, has " + count);
        }
        if (rules.hasMaxItems() && count > rules.getMaxItems()) {
            violations.add(at + " takes at most " + rules.getMaxItems() + " items, has " + count);
        }
    }

    private void value(Validate.FieldRules rules, FieldDescriptor field, Object value, String at) {
        if (rules.hasString() && value instanceof String text) {
            checked++;
            Validate.StringRules r = rules.getString();
            int length = text.codePointCount(0, text.length());
            int bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if ((r.hasMinLen() && length < r.getMinLen()) || (r.hasMinBytes() && bytes < r.getMinBytes())) {
                violations.add(at + " is too short");
            }
            if ((r.hasMaxLen() && length > r.getMaxLen()) || (r.hasMaxBytes() && bytes > r.getMaxBytes())) {
                violations.add(at + " is too long");
            }
        } else if (rules.hasBytes() && value instanceof ByteString data) {
            checked++;
            Validate.BytesRules r = rules.getBytes();
            if (r.hasMinLen() && data.size() < r.getMinLen()) {
                violations.add(at + " needs at least " + r.getMinLen() + " bytes");
            }
            if (r.hasMaxLen() && data.size() > r.getMaxLen()) {
                violations.add(at + " takes at most " + r.getMaxLen() + " bytes");
            }
        } else if (rules.hasEnum() && value instanceof EnumValueDescriptor constant) {
            checked++;
            if (rules.getEnum().getDefinedOnly() && constant.getIndex() < 0) {
                violations.add(at + " is not a defined value");
            }
        } else if (rules.hasUint32() && value instanceof Integer number) {
            checked++;
            Validate.UInt32Rules r = rules.getUint32();
            long n = Integer.toUnsignedLong(number);
            if ((r.hasGt() && n <= r.getGt())
                    || (r.hasGte() && n < r.getGte())
                    || (r.hasLt() && n >= r.getLt())
                    || (r.hasLte() && n > r.getLte())) {
                violations.add(at + " = " + n + " is out of bounds");
            }
        } else if (rules.hasMessage() || rules.hasRepeated()) {
            return; // handled where the field is walked
        } else if (rules.getTypeCase() != Validate.FieldRules.TypeCase.TYPE_NOT_SET) {
            unchecked++;
        }
    }
}
