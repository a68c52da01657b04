package dev.signet.ca.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/** Integers as the fixed-length, unsigned, big-endian bytes that JWK coordinates and JWS signatures use. */
public final class BigEndian {

    private BigEndian() {}

    /** {@code value} in exactly {@code length} bytes: left-padded, or without BigInteger's sign byte. */
    public static byte[] unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        if (bytes.length == length) {
            return bytes;
        }
        if (bytes.length > length) {
            return Arrays.copyOfRange(bytes, bytes.length - length, bytes.length);
        }
        byte[] padded = new byte[length];
        System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
        return padded;
    }
}
