package dev.taskscheduler.faults.scenario;

import dev.taskscheduler.launcher.process.Part;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * SIGSTOP of one service for longer than the timeouts that declare it gone (consumer sessions,
 * worker heartbeats), then SIGCONT: it wakes up believing it still holds what it held.
 */
public final class Freeze implements Fault {

    private final Part service;
    private final Duration frozen;
    private final String exceeds;
    private final Set<Long> frozenWorkers = new HashSet<>();

    /** @param exceeds the timeouts the freeze outlasts, for the report */
    public Freeze(Part service, Duration frozen, String exceeds) {
        this.service = service;
        this.frozen = frozen;
        this.exceeds = exceeds;
    }

    @Override
    public String description() {
        return "SIGSTOP of " + service.id() + " for " + frozen.toSeconds() + " s (longer than " + exceeds
                + "), then SIGCONT";
    }

    @Override
    public void begin(ScenarioContext context) {
        if (service == Part.WORKER) {
            frozenWorkers.add(context.system().processes().part(service).pid());
        }
        context.system().processes().part(service).freeze();
    }

    @Override
    public Duration hold() {
        return frozen;
    }

    @Override
    public void end(ScenarioContext context) {
        context.system().processes().part(service).thaw();
    }

    @Override
    public Set<Long> faultedWorkerPids() {
        return frozenWorkers;
    }
}
