package dev.signet.ca.spiffe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.ca.CaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpiffeIdTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "spiffe://cluster.local/ns/shop/sa/checkout",
                "spiffe://example.org",
                "spiffe://a-b_c.9/x",
                "spiffe://td/A.b-C_d/..a/a..",
            })
    void accepts_valid_ids(String uri) {
        assertThat(SpiffeId.parse(uri).uri()).isEqualTo(uri);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''|empty",
                "http://cluster.local/ns/a|scheme",
                "SPIFFE://cluster.local/ns/a|scheme",
                "spiffe:/cluster.local|scheme",
                "spiffe://|trust domain is empty",
                "spiffe:///ns/a|trust domain is empty",
                "spiffe://Cluster.local/ns/a|lower case",
                "spiffe://cluster.local:8080/ns/a|port",
                "spiffe://user@cluster.local/ns/a|user info",
                "spiffe://clu$ter/ns/a|character '$'",
                "spiffe://cluster.local/|must not end with '/'",
                "spiffe://cluster.local/ns//a|empty segment",
                "spiffe://cluster.local/ns/./a|'.' segment",
                "spiffe://cluster.local/ns/../a|'..' segment",
                "spiffe://cluster.local/ns/a?x=1|query",
                "spiffe://cluster.local/ns/a#frag|fragment",
                "spiffe://cluster.local/ns/a%20b|percent-encoded",
                "spiffe://cluster.local/ns/a b|character ' '",
                "spiffe://cluster.local/ns/é|character 'é'",
            })
    void refuses_invalid_ids_naming_the_problem(String uri, String reason) {
        assertThatThrownBy(() -> SpiffeId.parse(uri))
                .isInstanceOfSatisfying(
                        CaException.class, e -> assertThat(e.reason()).isEqualTo(CaException.Reason.INVALID_SPIFFE_ID))
                .hasMessageContaining(reason);
    }

    @Test
    void refuses_ids_over_2048_bytes_and_accepts_exactly_2048() {
        String prefix = "spiffe://td/";
        String exact = prefix + "a".repeat(SpiffeId.MAX_BYTES - prefix.length());
        assertThat(SpiffeId.parse(exact).path()).hasSize(SpiffeId.MAX_BYTES - "spiffe://td".length());
        assertThatThrownBy(() -> SpiffeId.parse(exact + "a")).hasMessageContaining("2048 bytes");
    }

    @Test
    void refuses_a_trust_domain_over_255_characters() {
        assertThatThrownBy(() -> SpiffeId.parse("spiffe://" + "a".repeat(256) + "/x"))
                .hasMessageContaining("longer than 255");
    }

    @Test
    void builds_the_service_account_form() {
        SpiffeId id = SpiffeId.forServiceAccount("cluster.local", "shop", "checkout");
        assertThat(id.uri()).isEqualTo("spiffe://cluster.local/ns/shop/sa/checkout");
        assertThat(id.principal()).isEqualTo("cluster.local/ns/shop/sa/checkout");
        assertThat(id.trustDomain()).isEqualTo("cluster.local");
        assertThat(id.isMemberOf("cluster.local")).isTrue();
        assertThat(id.isMemberOf("other.org")).isFalse();
        assertThat(id).isEqualTo(SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/checkout"));
    }

    @Test
    void service_account_names_are_validated_as_path_segments() {
        assertThatThrownBy(() -> SpiffeId.forServiceAccount("cluster.local", "shop", "a/b/.."))
                .hasMessageContaining("'..' segment");
        assertThatThrownBy(() -> SpiffeId.forServiceAccount("cluster.local", "", "sa"))
                .hasMessageContaining("empty segment");
    }
}
