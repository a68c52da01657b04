package dev.signet.ca.authority;

/**
 * The ids the leaf inventory files leaves under: a root's fingerprint, and for leaves whose chain carries a
 * cross-signed link, that fingerprint followed by {@code +cross:} and the link's own. Each process mints its own link
 * during a rotation, so two replicas file the leaves of one rotation under different links of the same root.
 */
public final class AuthorityIds {

    private static final String CROSS_LINK = "+cross:";

    private AuthorityIds() {}

    /** The id of leaves signed under {@code rootFingerprint} through the link {@code linkFingerprint}. */
    static String crossLinked(String rootFingerprint, String linkFingerprint) {
        return rootFingerprint + CROSS_LINK + linkFingerprint;
    }

    /**
     * Whether leaves filed as {@code filedAs} are among those {@code authorityId} names: for a root's fingerprint, the
     * leaves signed under that root, through a link or not; for a cross-linked id, the leaves carrying a cross-signed
     * link of the same root, whichever process minted that link (a restarted control plane mints a new one, and the
     * leaves its predecessor signed through the old link must still be counted and renewed). The gates and the
     * renewal requests use this one rule, so that whoever a gate waits for is whoever is asked to renew.
     */
    public static boolean covers(String authorityId, String filedAs) {
        int at = authorityId.indexOf(CROSS_LINK);
        if (at >= 0) {
            return filedAs.startsWith(authorityId.substring(0, at + CROSS_LINK.length()));
        }
        return filedAs.equals(authorityId) || filedAs.startsWith(authorityId + "+");
    }
}
