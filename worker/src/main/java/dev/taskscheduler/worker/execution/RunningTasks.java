package dev.taskscheduler.worker.execution;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attempts this worker holds a claim on, from claim to written outcome: what the lease refresh
 * keeps alive, what a duplicate release of the same task is checked against, and what a stopping
 * worker hands back.
 */
public final class RunningTasks {

    private final Map<UUID, Execution> byTask = new ConcurrentHashMap<>();

    void add(Execution execution) {
        byTask.put(execution.task().id(), execution);
    }

    void remove(Execution execution) {
        byTask.remove(execution.task().id(), execution);
    }

    boolean holds(UUID taskId) {
        return byTask.containsKey(taskId);
    }

    /** The tasks whose claims this worker holds now. */
    public Set<UUID> taskIds() {
        return Set.copyOf(byTask.keySet());
    }

    Collection<Execution> executions() {
        return List.copyOf(byTask.values());
    }

    /** Attempts whose handler still runs. */
    long handlersRunning() {
        return byTask.values().stream().filter(Execution::running).count();
    }

    boolean isEmpty() {
        return byTask.isEmpty();
    }
}
