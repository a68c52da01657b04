package dev.signet.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.signet.api.spiffe.workload.ValidateJWTSVIDRequest;
import dev.signet.api.spiffe.workload.ValidateJWTSVIDResponse;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code signet api validate}: has the socket validate a JWT-SVID, as a receiving workload would. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Have the socket validate a JWT-SVID for an audience; prints its SPIFFE ID and claims, or why "
                + "it is not valid (exit 1).")
final class ApiValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    WorkloadApiSocket socket;

    @Option(
            names = {"-a", "--audience"},
            required = true,
            paramLabel = "AUDIENCE",
            description = "The audience the token must name.")
    String audience;

    @Parameters(paramLabel = "TOKEN", description = "The JWT-SVID.")
    String token;

    /** The claims as JSON again; a Struct holds every number as a double, and a time reads better whole. */
    private static JsonNode json(Struct struct) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        struct.getFieldsMap().forEach((name, value) -> object.set(name, json(value)));
        return object;
    }

    private static JsonNode json(Value value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (value.getKindCase()) {
            case STRUCT_VALUE -> json(value.getStructValue());
            case LIST_VALUE -> {
                ArrayNode array = nodes.arrayNode();
                value.getListValue().getValuesList().forEach(element -> array.add(json(element)));
                yield array;
            }
            case NUMBER_VALUE -> {
                double number = value.getNumberValue();
                yield number == Math.rint(number) && Math.abs(number) < 1e15
                        ? nodes.numberNode((long) number)
                        : nodes.numberNode(number);
            }
            case BOOL_VALUE -> nodes.booleanNode(value.getBoolValue());
            case STRING_VALUE -> nodes.textNode(value.getStringValue());
            default -> nodes.nullNode();
        };
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (WorkloadApiSocket.Connection connection = socket.open()) {
            ValidateJWTSVIDResponse valid = connection
                    .api()
                    .validateJWTSVID(ValidateJWTSVIDRequest.newBuilder()
                            .setAudience(audience)
                            .setSvid(token.strip())
                            .build());
            out.println("valid: " + valid.getSpiffeId());
            out.println(new ObjectMapper().writeValueAsString(json(valid.getClaims())));
            out.flush();
            return 0;
        }
    }
}
