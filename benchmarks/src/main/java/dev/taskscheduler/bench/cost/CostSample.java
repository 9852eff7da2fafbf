package dev.taskscheduler.bench.cost;

import java.util.List;
import java.util.Map;

/**
 * What one span of the benchmark (a scenario, or a step of one) cost in CPU, by process and, inside
 * the services' process, by service.
 *
 * @param tasks         tasks the span handled, the divisor of the per-task figures (0 for idle)
 * @param processes     the services' JVM, PostgreSQL (postmaster and every backend), Redis, the
 *                      benchmark's own JVM, and the system without the benchmark
 * @param services      the services' JVM by owner of its threads ({@link ThreadOwners}), plus the
 *                      threads that exited during the span
 * @param otherThreads  CPU milliseconds of the threads counted as "other", by thread name with its
 *                      numbers replaced by N, largest first: what {@link ThreadOwners} should learn
 */
public record CostSample(String label, double seconds, long tasks, List<ComponentCost> processes,
        List<ComponentCost> services, Map<String, Double> otherThreads) {

    public static final String SERVICES_JVM = "services JVM";
    public static final String POSTGRES = "PostgreSQL";
    public static final String REDIS = "Redis";
    public static final String BENCHMARK_JVM = "benchmark JVM";
    public static final String SYSTEM = "system (services + PostgreSQL + Redis)";
    public static final String EXITED_THREADS = "exited threads";

    /** The figure of one process or service row, or null. */
    public ComponentCost component(String name) {
        return java.util.stream.Stream.concat(processes.stream(), services.stream())
                .filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }
}
