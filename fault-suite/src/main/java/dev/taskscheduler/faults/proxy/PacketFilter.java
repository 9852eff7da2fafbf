package dev.taskscheduler.faults.proxy;

import dev.taskscheduler.faults.system.Commands;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real partition: iptables rules that drop every packet to and from one local TCP port (a
 * proxy's), so that open connections hang and new ones never get an answer, as when a network
 * splits. Rules are only ever made in a network namespace of the suite's own ({@code bin/fault-suite}
 * starts the suite in one with {@code unshare --net} when it runs as root, and says so in
 * {@value #OWN_NETWORK}): the host's own rules are never touched, and the namespace, rules and
 * all, goes when the suite exits. Rules are also removed on {@link #close()} and at JVM exit.
 */
public final class PacketFilter implements AutoCloseable {

    /** Set by bin/fault-suite when it started the suite in a network namespace of its own. */
    public static final String OWN_NETWORK = "FAULT_SUITE_OWN_NETWORK";
    private static final Logger log = LoggerFactory.getLogger(PacketFilter.class);

    private final String unavailable;
    private final Set<Integer> dropped = new LinkedHashSet<>();

    private PacketFilter(String unavailable) {
        this.unavailable = unavailable;
        if (unavailable == null) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::close, "packet-filter-cleanup"));
        }
    }

    /** A filter when the suite runs in its own network namespace with iptables at hand, else one that says why not. */
    public static PacketFilter detect() {
        if (!"1".equals(System.getenv(OWN_NETWORK))) {
            return new PacketFilter("the suite does not run in a network namespace of its own (bin/fault-suite "
                    + "makes one when it runs as root and unshare works)");
        }
        String failure = iptables(List.of("-S", "INPUT"));
        return new PacketFilter(failure == null ? null : "iptables does not work here: " + failure);
    }

    /** Why packets cannot be dropped here, or null when they can. */
    public String unavailableBecause() {
        return unavailable;
    }

    /** Drops every TCP packet to and from {@code port} on this host (both ways over loopback). */
    public synchronized void drop(int port) {
        if (unavailable != null) {
            throw new IllegalStateException(unavailable);
        }
        for (String direction : List.of("--dport", "--sport")) {
            String failure = iptables(rule("-I", direction, port));
            if (failure != null) {
                throw new IllegalStateException("iptables failed: " + failure);
            }
        }
        dropped.add(port);
        log.info("Dropping every packet to and from port {}", port);
    }

    /** Lets the packets of {@code port} pass again. */
    public synchronized void restore(int port) {
        if (dropped.remove(port)) {
            for (String direction : List.of("--dport", "--sport")) {
                String failure = iptables(rule("-D", direction, port));
                if (failure != null) {
                    log.warn("Could not remove the rule for port {}: {}", port, failure);
                }
            }
            log.info("Packets to and from port {} pass again", port);
        }
    }

    @Override
    public synchronized void close() {
        new ArrayList<>(dropped).forEach(this::restore);
    }

    private static List<String> rule(String action, String direction, int port) {
        return List.of(action, "INPUT", "-p", "tcp", direction, Integer.toString(port), "-j", "DROP");
    }

    private static String iptables(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add("iptables");
        command.addAll(args);
        return Commands.run(command);
    }
}
