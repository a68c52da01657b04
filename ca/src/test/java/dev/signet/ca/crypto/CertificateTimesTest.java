package dev.signet.ca.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.api.Test;

/** The same DER as Bouncy Castle's own {@code Time(Date)}, at every edge of RFC 5280's two encodings. */
class CertificateTimesTest {

    @Test
    void encodes_as_bouncy_castle_does_utc_time_through_2049_then_generalized_time() throws Exception {
        for (String at : new String[] {
            "2026-12-04T03:15:42Z",
            "2026-12-04T03:15:42.999Z",
            "1950-01-01T00:00:00Z",
            "1949-12-31T23:59:59Z",
            "2000-02-29T12:00:00Z",
            "2049-12-31T23:59:59Z",
            "2050-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z"
        }) {
            Instant instant = Instant.parse(at);
            Time ours = CertificateTimes.of(instant);
            Time theirs = new Time(Date.from(instant), Locale.ROOT);
            assertThat(ours.getEncoded()).as(at).isEqualTo(theirs.getEncoded());
            assertThat(ours.getDate().toInstant()).as(at).isEqualTo(Instant.ofEpochSecond(instant.getEpochSecond()));
        }
        assertThat(CertificateTimes.of(Instant.parse("2049-12-31T23:59:59Z")).toASN1Primitive())
                .isInstanceOf(ASN1UTCTime.class);
        assertThat(CertificateTimes.of(Instant.parse("2050-01-01T00:00:00Z")).toASN1Primitive())
                .isInstanceOf(ASN1GeneralizedTime.class);
    }

    @Test
    void refuses_a_year_no_certificate_can_hold() {
        assertThatThrownBy(() -> CertificateTimes.of(Instant.parse("+10000-01-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("years 0 to 9999");
    }
}
