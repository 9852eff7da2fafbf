package dev.taskscheduler.scheduler.routing;

import dev.taskscheduler.model.Topics;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Decides which worker pool, and so which ready topic, serves a task type. */
public final class PoolRouting {

    private final String defaultPool;
    private final Map<String, String> poolByType;

    public PoolRouting(String defaultPool, Map<String, String> poolByType) {
        this.defaultPool = defaultPool;
        this.poolByType = Map.copyOf(poolByType);
    }

    public String poolOf(String taskType) {
        return poolByType.getOrDefault(taskType, defaultPool);
    }

    public String readyTopicOf(String taskType) {
        return Topics.ready(poolOf(taskType));
    }

    /** Every pool this routing can name. */
    public Set<String> pools() {
        Set<String> pools = new TreeSet<>(poolByType.values());
        pools.add(defaultPool);
        return pools;
    }
}
