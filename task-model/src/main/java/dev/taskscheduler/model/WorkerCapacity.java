package dev.taskscheduler.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a worker reports about itself with every heartbeat ({@code worker_heartbeats.capacity}), for
 * the operators' console: its handler pools and the shared limits it applies. Pool sizes and limits
 * are the workers' own settings; no other service knows them.
 *
 * @param pools  pool → priority ({@code high}, {@code normal}, {@code low}) → its handlers
 * @param limits task type → the limit shared by all workers
 */
public record WorkerCapacity(Map<String, Map<String, Handlers>> pools, Map<String, TypeLimit> limits) {

    public WorkerCapacity {
        pools = pools == null ? Map.of() : new TreeMap<>(pools);
        limits = limits == null ? Map.of() : new TreeMap<>(limits);
    }

    /** @param size handlers of this pool and priority; {@code busy} of them run a task now */
    public record Handlers(int size, int busy) {
    }

    /**
     * @param maxConcurrency most tasks of the type running at once across all workers (0: no limit)
     * @param ratePerSecond  most tasks of the type started per second across all workers (0: no limit)
     */
    public record TypeLimit(int maxConcurrency, int ratePerSecond) {
    }
}
