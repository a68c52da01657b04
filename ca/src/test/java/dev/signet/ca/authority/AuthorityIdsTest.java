package dev.signet.ca.authority;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthorityIdsTest {

    @Test
    void a_root_covers_its_leaves_with_or_without_a_cross_signed_link() {
        String linked = AuthorityIds.crossLinked("bb22", "0123");
        assertThat(linked).isEqualTo("bb22+cross:0123");
        assertThat(AuthorityIds.covers("bb22", linked)).isTrue();
        assertThat(AuthorityIds.covers("bb22", "bb22")).isTrue();
        assertThat(AuthorityIds.covers("bb22", "bb223"))
                .as("another root sharing a prefix")
                .isFalse();
    }

    @Test
    void a_cross_link_covers_every_process_link_of_the_same_root_and_nothing_else() {
        assertThat(AuthorityIds.covers("bb22+cross:ffff", "bb22+cross:0123"))
                .as("a restarted process's link")
                .isTrue();
        assertThat(AuthorityIds.covers("bb22+cross:ffff", "bb22")).as("no link").isFalse();
        assertThat(AuthorityIds.covers("bb22+cross:ffff", "cc33+cross:0123")).isFalse();
    }
}
