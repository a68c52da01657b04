package dev.signet.ca.jwt;

import dev.signet.ca.CaException;
import dev.signet.ca.CaException.Reason;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What a JWT-SVID may be issued for: at least one audience (the JWT-SVID specification requires {@code aud}), and
 * few and short enough that a request cannot make the CA build, sign and send a token of any size it likes.
 */
public final class Audiences {

    /** The most audiences one token names. */
    public static final int MAX_COUNT = 64;
    /** The longest audience, in characters. */
    public static final int MAX_LENGTH = 512;

    private Audiences() {}

    /** {@code requested}, checked, without repeats, in the order given. */
    public static List<String> check(List<String> requested) {
        if (requested.isEmpty()) {
            throw invalid("a JWT-SVID needs at least one audience");
        }
        if (requested.size() > MAX_COUNT) {
            throw invalid("a JWT-SVID names at most " + MAX_COUNT + " audiences; " + requested.size() + " were asked");
        }
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (String audience : requested) {
            if (audience.isBlank()) {
                throw invalid("an audience must not be empty");
            }
            if (audience.length() > MAX_LENGTH) {
                throw invalid("an audience is at most " + MAX_LENGTH + " characters; one has " + audience.length());
            }
            distinct.add(audience);
        }
        return List.copyOf(distinct);
    }

    private static CaException invalid(String message) {
        return new CaException(Reason.INVALID_AUDIENCE, message);
    }
}
