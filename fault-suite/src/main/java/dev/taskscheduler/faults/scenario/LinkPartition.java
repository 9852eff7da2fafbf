package dev.taskscheduler.faults.scenario;

import dev.taskscheduler.faults.proxy.FaultProxy;
import dev.taskscheduler.faults.proxy.PacketFilter;
import dev.taskscheduler.faults.system.Link;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A partition between one service and one dependency: iptables drops every packet either way on
 * the link's proxy port (the proxy itself passes bytes on), so open connections hang and new ones
 * get no answer. Where the suite cannot filter packets (not root, no network namespace of its own)
 * the proxy swallows the bytes instead (its blackhole), and the report says which it was.
 */
public final class LinkPartition implements Fault {

    private final Link link;
    private final Duration hold;
    private final List<String> notes = new ArrayList<>();
    private boolean filtered;

    public LinkPartition(Link link, Duration hold) {
        this.link = link;
        this.hold = hold;
    }

    @Override
    public String description() {
        return link.id() + ": partition, every packet either way dropped by iptables (or, where the suite cannot "
                + "filter packets, the proxy's blackhole) for " + hold.toSeconds() + " s";
    }

    @Override
    public void begin(ScenarioContext context) {
        PacketFilter filter = context.system().packetFilter();
        FaultProxy proxy = context.system().proxy(link);
        filtered = filter.unavailableBecause() == null;
        if (filtered) {
            filter.drop(proxy.port());
            notes.add("iptables DROP on port " + proxy.port() + " both ways, in the suite's own network namespace");
        } else {
            proxy.set(new FaultProxy.Mode.Blackhole());
            notes.add("proxy blackhole, as no packet filter could be used: " + filter.unavailableBecause());
        }
    }

    @Override
    public Duration hold() {
        return hold;
    }

    @Override
    public void end(ScenarioContext context) {
        FaultProxy proxy = context.system().proxy(link);
        if (filtered) {
            context.system().packetFilter().restore(proxy.port());
        } else {
            proxy.heal();
        }
    }

    @Override
    public List<String> notes() {
        return List.copyOf(notes);
    }
}
