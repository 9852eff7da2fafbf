package dev.taskscheduler.model;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Decides which worker pool serves a task type, and so (with the task's priority) its ready topic. */
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

    public String readyTopicOf(String taskType, TaskPriority priority) {
        return Topics.ready(poolOf(taskType), priority);
    }

    /** The pool of every type not routed elsewhere. */
    public String defaultPool() {
        return defaultPool;
    }

    /** Task type → pool, for the types routed explicitly. */
    public Map<String, String> routedTypes() {
        return poolByType;
    }

    /** Every pool this routing can name. */
    public Set<String> pools() {
        Set<String> pools = new TreeSet<>(poolByType.values());
        pools.add(defaultPool);
        return pools;
    }
}
