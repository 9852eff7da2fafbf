package dev.taskscheduler.worker.handler.builtin.http;

import java.util.regex.Pattern;

/**
 * How IP addresses may be written in a URL. Resolvers read {@code 2130706433}, {@code 0177.0.0.1}
 * or {@code 0x7f.1} as 127.0.0.1, and differ in how; a host made only of numbers is therefore
 * accepted only as four plain decimal octets, so that what is checked is what is connected to.
 */
final class IpLiterals {

    private static final Pattern NUMERIC = Pattern.compile("(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*\\.?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");

    private IpLiterals() {
    }

    /** Whether the host is written as numbers (an IPv4 address in some form), canonical or not. */
    static boolean looksNumeric(String host) {
        return NUMERIC.matcher(host).matches();
    }

    /** Whether the text is a dotted-quad IPv4 address in plain decimal, or an IPv6 address. */
    static boolean isCanonical(String text) {
        if (text.contains(":")) {
            return IPV6.matcher(text).matches();
        }
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String octet : octets) {
            if (!OCTET.matcher(octet).matches() || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }
}
