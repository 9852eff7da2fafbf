package dev.taskscheduler.faults.scenario;

import dev.taskscheduler.faults.proxy.FaultProxy;
import dev.taskscheduler.faults.system.Link;
import dev.taskscheduler.launcher.process.Part;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The catalogue of scenarios. Freezes last 15 s: longer than the worker's consumer session
 * (10 s), its heartbeat key's time to live (10 s) and the scheduler's session (15 s is reached
 * with the time it takes to notice).
 */
public final class Scenarios {

    /** The CI subset: a worker killed mid-task, PostgreSQL killed and restarted, the worker frozen. */
    public static final List<String> CI = List.of("worker-kill-mid-task", "postgres-kill", "worker-freeze");

    private static final Duration FREEZE = Duration.ofSeconds(15);
    private static final Duration LINK_FAULT = Duration.ofSeconds(10);
    private static final String FREEZE_EXCEEDS = "the 10 s consumer session and heartbeat key TTL";

    private Scenarios() {
    }

    public static List<Scenario> all() {
        List<Scenario> all = new ArrayList<>();
        all.add(Scenario.of("worker-kill-mid-task", new CrashWorkerMidTask(), Duration.ofSeconds(12)));
        for (Part service : List.of(Part.API_SERVER, Part.OUTBOX_RELAY, Part.SCHEDULER, Part.WORKER)) {
            all.add(Scenario.of(service.id() + "-kill", new Crash(service, Duration.ofSeconds(3)),
                    Duration.ofSeconds(12)));
        }
        for (Part dependency : List.of(Part.KAFKA, Part.POSTGRES, Part.REDIS)) {
            all.add(Scenario.of(dependency.id() + "-kill", new Crash(dependency, Duration.ofSeconds(5)),
                    Duration.ofSeconds(12)));
        }
        for (Part service : List.of(Part.API_SERVER, Part.OUTBOX_RELAY, Part.SCHEDULER, Part.WORKER)) {
            all.add(Scenario.of(service.id() + "-freeze", new Freeze(service, FREEZE, FREEZE_EXCEEDS),
                    Duration.ofSeconds(22)));
        }
        all.add(Scenario.of("redis-flushall", new RedisFlush(), Duration.ofSeconds(12)));
        for (Part dependency : List.of(Part.KAFKA, Part.POSTGRES, Part.REDIS)) {
            Link link = new Link(Part.WORKER, dependency);
            all.add(linkScenario(link, "delay", new LinkFault(link, new FaultProxy.Mode.Delay(Duration.ofMillis(200)),
                    LINK_FAULT)));
            all.add(linkScenario(link, "loss", new LinkFault(link, new FaultProxy.Mode.Cut(Duration.ofSeconds(2)),
                    LINK_FAULT)));
            all.add(linkScenario(link, "partition", new LinkPartition(link, LINK_FAULT)));
        }
        all.add(Scenario.of("worker-clock-jump", new WorkerClockJump(Duration.ofSeconds(30), Duration.ofSeconds(8)),
                Duration.ofSeconds(22)));
        // Last: a broker that fails to come back from a full disk would fail every scenario after it.
        all.add(Scenario.of("kafka-disk-full", new KafkaDiskFull(Duration.ofSeconds(10)), Duration.ofSeconds(16)));
        return all;
    }

    private static Scenario linkScenario(Link link, String kind, Fault fault) {
        return new Scenario(link.service().id() + "-" + link.dependency().id() + "-" + kind, fault, List.of(link),
                Duration.ofSeconds(16), Duration.ofSeconds(3));
    }

    /** The scenarios named, in the catalogue's order; an unknown name is an error that lists the known ones. */
    public static List<Scenario> named(List<String> names) {
        Map<String, Scenario> byName = all().stream()
                .collect(Collectors.toMap(Scenario::name, Function.identity(), (a, b) -> a,
                        java.util.LinkedHashMap::new));
        for (String name : names) {
            if (!byName.containsKey(name)) {
                throw new IllegalArgumentException("No scenario " + name + "; known: " + byName.keySet());
            }
        }
        return byName.values().stream().filter(scenario -> names.contains(scenario.name())).toList();
    }
}
