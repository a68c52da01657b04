package dev.signet.controlplane.xds;

import com.google.protobuf.Any;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** A content hash as the version: the same resources give the same version on every stream and across restarts. */
final class ContentVersion {

    private ContentVersion() {}

    static String of(String type, Map<String, Any> content) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(type.getBytes(StandardCharsets.UTF_8));
            content.forEach((name, resource) -> {
                digest.update(name.getBytes(StandardCharsets.UTF_8));
                digest.update(resource.getValue().asReadOnlyByteBuffer());
            });
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
