package dev.signet.policy.validate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** IP addresses and CIDR blocks as policies write them ({@code 10.0.0.1}, {@code 10.0.0.0/16}, IPv6 alike). */
public final class IpBlocks {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** A parsed block: the network address and the prefix length. */
    public record Block(byte[] address, int prefixLength) {
        public boolean contains(byte[] candidate) {
            if (candidate.length != address.length) {
                return false;
            }
            int full = prefixLength / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != address[i]) {
                    return false;
                }
            }
            int rest = prefixLength % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (candidate[full] & mask) == (address[full] & mask);
        }
    }

    private IpBlocks() {}

    public static Optional<String> check(String value) {
        try {
            parse(value);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Parses an address or a CIDR block, never touching DNS. */
    public static Block parse(String value) {
        int slash = value.indexOf('/');
        String host = slash < 0 ? value : value.substring(0, slash);
        byte[] address = literal(host)
                .orElseThrow(
                        () -> new IllegalArgumentException("\"" + value + "\" is not an IP address or CIDR block"));
        int max = address.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(value.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + value + "\" has no valid prefix length");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("\"" + value + "\": prefix length must be 0-" + max);
            }
        }
        return new Block(address, prefix);
    }

    /** The bytes of an IP literal; empty for anything else (host names included). */
    public static Optional<byte[]> literal(String host) {
        boolean v4 = IPV4.matcher(host).matches();
        if (!v4 && !IPV6.matcher(host).matches()) {
            return Optional.empty();
        }
        if (v4) {
            for (String part : host.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return Optional.empty();
                }
            }
        }
        try {
            return Optional.of(InetAddress.getByName(host).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
