package dev.signet.ca.authority;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthorityIdsTest {

    @Test
    void leaves_with_a_cross_signed_link_are_filed_under_the_root_they_were_signed_under() {
        String linked = AuthorityIds.crossLinked("bb22", "0123");
        assertThat(linked).isEqualTo("bb22+cross:0123");
        assertThat(AuthorityIds.filedUnder(linked, "bb22")).isTrue();
        assertThat(AuthorityIds.filedUnder("bb22", "bb22")).isTrue();
        assertThat(AuthorityIds.filedUnder("bb223", "bb22")).as("another root sharing a prefix").isFalse();
    }

    @Test
    void another_process_link_of_the_same_root_counts_as_the_same_cross_link() {
        assertThat(AuthorityIds.sameLinkedRoot("bb22+cross:0123", "bb22+cross:ffff")).isTrue();
        assertThat(AuthorityIds.sameLinkedRoot("bb22", "bb22+cross:ffff")).as("no link").isFalse();
        assertThat(AuthorityIds.sameLinkedRoot("cc33+cross:0123", "bb22+cross:ffff")).isFalse();
    }
}
