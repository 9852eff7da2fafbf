package dev.taskscheduler.worker.handler.builtin.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where the http handler may connect. A host is resolved once, here, and every address it
 * resolves to must be allowed (a name that also resolves to an internal address is refused, so a
 * resolver cannot be raced into handing out the other one); the HTTP client then connects to the
 * checked address, with the original host name for the Host header, SNI and certificate check.
 */
final class DestinationPolicy {

    private final HostResolver resolver;
    private final Set<String> trustedHosts = new HashSet<>();
    private final Set<String> trustedHostPorts = new HashSet<>();
    private final List<Cidr> trustedRanges;
    private final Set<Integer> allowedPorts;

    DestinationPolicy(HttpCallProperties properties, HostResolver resolver) {
        this.resolver = resolver;
        for (String entry : properties.allowedHosts()) {
            String normalized = entry.trim().toLowerCase(Locale.ROOT);
            int colon = normalized.lastIndexOf(':');
            boolean withPort = colon > 0 && normalized.indexOf(':') == colon && !normalized.endsWith("]");
            if (withPort) {
                trustedHostPorts.add(normalized);
            } else {
                trustedHosts.add(normalized.replace("[", "").replace("]", ""));
            }
        }
        this.trustedRanges = properties.allowedCidrs().stream().map(Cidr::parse).toList();
        this.allowedPorts = Set.copyOf(properties.allowedPorts());
    }

    /**
     * The addresses to connect to for this host and port, each of them checked.
     *
     * @throws DestinationRefusedException for a disallowed destination (do not retry)
     * @throws UnknownHostException        when the name does not resolve (may be retried)
     */
    InetAddress[] resolve(String host, int port) throws UnknownHostException {
        String normalized = normalize(host);
        boolean trustedWithPort = trustedHostPorts.contains(normalized + ":" + port);
        if (IpLiterals.looksNumeric(normalized) && !IpLiterals.isCanonical(normalized)) {
            throw new DestinationRefusedException(host + " is an IP address in a non-canonical form; write it as "
                    + "four decimal numbers");
        }
        InetAddress[] addresses = resolver.resolve(normalized);
        if (addresses.length == 0) {
            throw new UnknownHostException(host + " resolves to no address");
        }
        if (trustedWithPort) {
            return addresses;
        }
        if (!trustedHosts.contains(normalized)) {
            checkAddresses(host, normalized, addresses);
        }
        if (!allowedPorts.isEmpty() && !allowedPorts.contains(port)) {
            throw new DestinationRefusedException("port " + port + " of " + host
                    + " is not allowed (scheduler.worker.http.allowed-ports, allowed-hosts)");
        }
        return addresses;
    }

    private void checkAddresses(String host, String normalized, InetAddress[] addresses)
            throws DestinationRefusedException {
        for (InetAddress address : addresses) {
            Optional<String> blocked = BlockedAddresses.reason(address);
            if (blocked.isPresent() && trustedRanges.stream().noneMatch(range -> range.contains(address))) {
                throw new DestinationRefusedException(host + (normalized.equals(address.getHostAddress()) ? ""
                        : " resolves to " + address.getHostAddress() + ", which") + " is " + blocked.get()
                        + " (allow it with scheduler.worker.http.allowed-hosts or allowed-cidrs)");
            }
        }
    }

    private static String normalize(String host) {
        String lower = host.toLowerCase(Locale.ROOT).replace("[", "").replace("]", "");
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
