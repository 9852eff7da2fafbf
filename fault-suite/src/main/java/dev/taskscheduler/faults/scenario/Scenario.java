package dev.taskscheduler.faults.scenario;

import dev.taskscheduler.faults.system.Link;
import java.time.Duration;
import java.util.List;

/**
 * One scenario of the suite: a fault, the links it needs a proxy on, and how long the load runs
 * around it (the fault begins {@code lead} after the load started).
 */
public record Scenario(String name, Fault fault, List<Link> links, Duration load, Duration lead) {

    public Scenario {
        links = List.copyOf(links);
        if (lead.plus(fault.hold()).compareTo(load) > 0) {
            throw new IllegalArgumentException(name + ": the load must outlast the fault");
        }
    }

    public static Scenario of(String name, Fault fault, Duration load) {
        return new Scenario(name, fault, List.of(), load, Duration.ofSeconds(3));
    }
}
