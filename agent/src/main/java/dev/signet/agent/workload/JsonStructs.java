package dev.signet.agent.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;

/** JSON (a validated token's claims) as the protobuf {@code Struct} the Workload API answers with. */
final class JsonStructs {

    private JsonStructs() {}

    static Struct struct(JsonNode object) {
        Struct.Builder struct = Struct.newBuilder();
        object.fields().forEachRemaining(field -> struct.putFields(field.getKey(), value(field.getValue())));
        return struct.build();
    }

    private static Value value(JsonNode node) {
        if (node.isObject()) {
            return Value.newBuilder().setStructValue(struct(node)).build();
        }
        if (node.isArray()) {
            ListValue.Builder list = ListValue.newBuilder();
            node.forEach(element -> list.addValues(value(element)));
            return Value.newBuilder().setListValue(list).build();
        }
        if (node.isNumber()) {
            return Value.newBuilder().setNumberValue(node.asDouble()).build();
        }
        if (node.isBoolean()) {
            return Value.newBuilder().setBoolValue(node.asBoolean()).build();
        }
        if (node.isNull()) {
            return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
        }
        return Value.newBuilder().setStringValue(node.asText()).build();
    }
}
