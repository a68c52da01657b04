package dev.signet.controlplane.testing;

import com.google.protobuf.StringValue;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;

/** gRPC methods that carry one string each way: enough for a test of an interceptor on a real server. */
public final class TextMethods {

    private static final MethodDescriptor.Marshaller<StringValue> TEXT =
            ProtoUtils.marshaller(StringValue.getDefaultInstance());

    private TextMethods() {}

    public static MethodDescriptor<StringValue, StringValue> method(
            String service, String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.newBuilder(TEXT, TEXT)
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(service, name))
                .build();
    }
}
