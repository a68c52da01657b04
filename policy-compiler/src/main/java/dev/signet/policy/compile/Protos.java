package dev.signet.policy.compile;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import java.io.IOException;

/** Deterministic packing and printing of the compiled protos. */
public final class Protos {

    private static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder()
            .add(Listener.getDescriptor())
            .add(Cluster.getDescriptor())
            .add(HttpConnectionManager.getDescriptor())
            .add(Router.getDescriptor())
            .add(TcpProxy.getDescriptor())
            .add(TlsInspector.getDescriptor())
            .add(DownstreamTlsContext.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDescriptor())
            .build();

    private Protos() {}

    /** Like {@link Any#pack} but with deterministic serialization, so that packed maps never reorder bytes. */
    public static Any pack(Message message) {
        return Any.newBuilder()
                .setTypeUrl(
                        "type.googleapis.com/" + message.getDescriptorForType().getFullName())
                .setValue(ByteString.copyFrom(deterministicBytes(message)))
                .build();
    }

    /** Written straight into an array of the exact size: no stream buffer, no copy (this is on the compile path). */
    public static byte[] deterministicBytes(Message message) {
        byte[] bytes = new byte[message.getSerializedSize()];
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.useDeterministicSerialization();
            message.writeTo(out);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes;
    }

    public static String toJson(Message message) {
        try {
            return JsonFormat.printer().usingTypeRegistry(TYPES).print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(
                    "cannot print " + message.getDescriptorForType().getFullName(), e);
        }
    }
}
