package dev.taskscheduler.worker.handler.builtin.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Addresses the http handler never connects to unless a deployment allows them: everything that
 * is not a public unicast address. An IPv6 address that carries an IPv4 address (mapped,
 * compatible, NAT64, 6to4) is judged by the IPv4 address it carries.
 */
final class BlockedAddresses {

    private record Range(Cidr cidr, String reason) {
    }

    private static final List<Range> RANGES = List.of(
            range("0.0.0.0/8", "an unspecified address (0.0.0.0/8)"),
            range("10.0.0.0/8", "a private address (RFC 1918)"),
            range("100.64.0.0/10", "a shared (CGNAT) address (100.64.0.0/10)"),
            range("127.0.0.0/8", "a loopback address"),
            range("169.254.0.0/16", "a link-local address (169.254.0.0/16, e.g. cloud metadata)"),
            range("172.16.0.0/12", "a private address (RFC 1918)"),
            range("192.0.0.0/24", "a reserved address (IETF protocol assignments)"),
            range("192.0.2.0/24", "a documentation address"),
            range("192.88.99.0/24", "a reserved address (6to4 relay)"),
            range("192.168.0.0/16", "a private address (RFC 1918)"),
            range("198.18.0.0/15", "a reserved address (benchmarking)"),
            range("198.51.100.0/24", "a documentation address"),
            range("203.0.113.0/24", "a documentation address"),
            range("224.0.0.0/4", "a multicast address"),
            range("255.255.255.255/32", "the broadcast address"),
            range("240.0.0.0/4", "a reserved address (240.0.0.0/4)"),
            range("::/128", "an unspecified address (::)"),
            range("::1/128", "a loopback address"),
            range("100::/64", "a reserved address (discard prefix)"),
            range("2001::/23", "a reserved address (IETF protocol assignments, Teredo)"),
            range("2001:db8::/32", "a documentation address"),
            range("3fff::/20", "a documentation address"),
            range("fc00::/7", "a unique local address (fc00::/7)"),
            range("fe80::/10", "a link-local address (fe80::/10)"),
            range("fec0::/10", "a site-local address (fec0::/10)"),
            range("ff00::/8", "a multicast address"));

    private static final Cidr MAPPED = Cidr.parse("::ffff:0:0/96");
    private static final Cidr COMPATIBLE = Cidr.parse("::/96");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr NAT64_LOCAL = Cidr.parse("64:ff9b:1::/48");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private BlockedAddresses() {
    }

    /** Why the handler must not connect to this address, or empty for a public unicast address. */
    static Optional<String> reason(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Range range : RANGES) {
            if (range.cidr().contains(bytes)) {
                return Optional.of(range.reason());
            }
        }
        if (bytes.length == 16) {
            byte[] embedded = embeddedIpv4(bytes);
            if (embedded != null) {
                return reason(ipv4(embedded)).map(reason -> reason + " inside an IPv6 address");
            }
        }
        return Optional.empty();
    }

    /** The IPv4 address an IPv6 address carries, or null. */
    private static byte[] embeddedIpv4(byte[] ipv6) {
        if (MAPPED.contains(ipv6) || COMPATIBLE.contains(ipv6) || NAT64.contains(ipv6) || NAT64_LOCAL.contains(ipv6)) {
            return Arrays.copyOfRange(ipv6, 12, 16);
        }
        if (SIX_TO_FOUR.contains(ipv6)) {
            return Arrays.copyOfRange(ipv6, 2, 6);
        }
        return null;
    }

    private static InetAddress ipv4(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    private static Range range(String cidr, String reason) {
        return new Range(Cidr.parse(cidr), reason);
    }
}
