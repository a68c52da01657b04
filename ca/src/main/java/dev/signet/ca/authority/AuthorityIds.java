package dev.signet.ca.authority;

/**
 * The ids the leaf inventory files leaves under: a root's fingerprint, and for leaves whose chain carries a
 * cross-signed link, that fingerprint followed by {@code +cross:} and the link's own. Each process mints its own link
 * during a rotation, so two replicas file the leaves of one rotation under different links of the same root.
 */
public final class AuthorityIds {

    private static final String CROSS_LINK = "+cross:";

    private AuthorityIds() {
    }

    /** The id of leaves signed under {@code rootFingerprint} through the link {@code linkFingerprint}. */
    static String crossLinked(String rootFingerprint, String linkFingerprint) {
        return rootFingerprint + CROSS_LINK + linkFingerprint;
    }

    /** Whether leaves filed as {@code filedAs} chain to the root of {@code authorityId}, through a link or not. */
    public static boolean filedUnder(String filedAs, String authorityId) {
        return filedAs.equals(authorityId) || filedAs.startsWith(authorityId + "+");
    }

    /**
     * Whether leaves filed as {@code filedAs} carry a cross-signed link of the same root as {@code crossLinkedId}'s,
     * whichever process minted that link.
     */
    public static boolean sameLinkedRoot(String filedAs, String crossLinkedId) {
        int at = crossLinkedId.indexOf(CROSS_LINK);
        return filedAs.startsWith(at < 0 ? crossLinkedId : crossLinkedId.substring(0, at + CROSS_LINK.length()));
    }
}
