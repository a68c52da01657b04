package dev.signet.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.signet.ca.CaException;
import dev.signet.ca.crypto.KeyType;
import dev.signet.ca.issue.X509Svid;
import dev.signet.ca.spiffe.SpiffeId;
import dev.signet.ca.testing.Csrs;
import dev.signet.ca.testing.MutableClock;
import dev.signet.ca.testing.TestCa;
import dev.signet.controlplane.ca.CallCredentials;
import dev.signet.controlplane.testing.TestServing;
import dev.signet.controlplane.testing.TextMethods;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gRPC port over real TLS (BoringSSL where it loads, as shipped): a client whose certificate comes from a root
 * added after the server started still presents it and is recognised. Clients that pick their certificate by the
 * CA names a server sends (Java's key managers do) would otherwise send none once a rotation's new root signs theirs.
 */
class ClientCertificateAfterNewRootTest {

    private static final MethodDescriptor<StringValue, StringValue> WHO =
            TextMethods.method("test.Peer", "Who", MethodDescriptor.MethodType.UNARY);

    private final TestCa oldRoot = TestCa.create(KeyType.EC_P256, new MutableClock(Instant.now()));
    private final TestCa newRoot = TestCa.create(KeyType.EC_P256, new MutableClock(Instant.now()));
    private ControlPlaneServer server;
    private ManagedChannel channel;

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void a_leaf_of_a_root_added_after_the_start_is_presented_and_recognised() throws Exception {
        TestServing serving = TestServing.issuedBy(oldRoot);
        ServingCredentials credentials = serving.credentials();
        server = ControlPlaneServer.start(new InetSocketAddress("127.0.0.1", 0), credentials, List.of(whoCalls()));

        // A rotation's PREPARE: the server now trusts both roots; the client's leaf is under the new one.
        credentials.update(serving.keys().getPrivate(), serving.chain(), List.of(root(oldRoot), root(newRoot)));
        KeyPair clientKeys = Csrs.ecP256();
        X509Svid client = newRoot.ca()
                .sign(Csrs.der(clientKeys), SpiffeId.forServiceAccount("cluster.local", "shop", "payments"), null);
        channel = NettyChannelBuilder.forTarget("localhost:" + server.port())
                .sslContext(GrpcSslContexts.forClient()
                        // The server's own certificate is not what this test is about.
                        .trustManager(InsecureTrustManagerFactory.INSTANCE)
                        .keyManager(clientKeys.getPrivate(), client.chain().toArray(new X509Certificate[0]))
                        .build())
                .build();

        StringValue answer = ClientCalls.blockingUnaryCall(channel, WHO, CallOptions.DEFAULT, StringValue.of(""));

        assertThat(answer.getValue()).isEqualTo("spiffe://cluster.local/ns/shop/sa/payments");
    }

    private static X509Certificate root(TestCa ca) {
        return ca.authority().root().certificate();
    }

    /** Answers with the SPIFFE ID of the certificate the caller presented, or "none". */
    private static ServerServiceDefinition whoCalls() {
        ServerServiceDefinition definition = ServerServiceDefinition.builder("test.Peer")
                .addMethod(WHO, ServerCalls.asyncUnaryCall((request, response) -> {
                    List<X509Certificate> chain = CallCredentials.PEER_CHAIN.get();
                    String who;
                    try {
                        who = chain == null || chain.isEmpty()
                                ? "none"
                                : SpiffeId.fromCertificate(chain.get(0)).uri();
                    } catch (CaException e) {
                        who = "not an X509-SVID";
                    }
                    response.onNext(StringValue.of(who));
                    response.onCompleted();
                }))
                .build();
        return ServerInterceptors.intercept(definition, new CallCredentials());
    }
}
