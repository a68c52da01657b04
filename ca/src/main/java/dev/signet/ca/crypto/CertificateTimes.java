package dev.signet.ca.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Time;

/**
 * A certificate's validity times as RFC 5280 (4.1.2.5) wants them: UTCTime through 2049, GeneralizedTime after,
 * to the second, in UTC. Written as DER directly: Bouncy Castle's {@code Time(Date)} formats through
 * {@code SimpleDateFormat} and parses the text back, a few percent of an issuance.
 */
public final class CertificateTimes {

    private static final byte UTC_TIME = 0x17;
    private static final byte GENERALIZED_TIME = 0x18;

    private CertificateTimes() {}

    public static Time of(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("a certificate time must be within years 0 to 9999: " + instant);
        }
        boolean utc = year >= 1950 && year <= 2049;
        byte[] der = new byte[2 + (utc ? 13 : 15)];
        der[0] = utc ? UTC_TIME : GENERALIZED_TIME;
        der[1] = (byte) (der.length - 2);
        int at = 2;
        at = utc ? digits(der, at, year % 100, 2) : digits(der, at, year, 4);
        at = digits(der, at, t.getMonthValue(), 2);
        at = digits(der, at, t.getDayOfMonth(), 2);
        at = digits(der, at, t.getHour(), 2);
        at = digits(der, at, t.getMinute(), 2);
        at = digits(der, at, t.getSecond(), 2);
        der[at] = 'Z';
        try {
            return new Time(utc ? ASN1UTCTime.getInstance(der) : ASN1GeneralizedTime.getInstance(der));
        } catch (IllegalArgumentException e) {
            throw new UncheckedIOException(new IOException("cannot encode " + instant, e));
        }
    }

    private static int digits(byte[] into, int at, int value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            into[at + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }
}
