package dev.signet.ca.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Random positive serial numbers of 127 bits: above the 64 bits of entropy the CA/Browser Forum and SPIFFE ask
 * for, and within the 20 octets RFC 5280 allows once DER-encoded.
 */
public final class SerialNumbers {

    private static final int BYTES = 16;

    private SerialNumbers() {}

    public static BigInteger next(SecureRandom random) {
        byte[] bytes = new byte[BYTES];
        BigInteger serial;
        do {
            random.nextBytes(bytes);
            bytes[0] &= 0x7f;
            serial = new BigInteger(1, bytes);
        } while (serial.signum() == 0);
        return serial;
    }
}
