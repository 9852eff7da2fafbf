package dev.taskscheduler.worker.execution;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The worker's meters. Tags are bounded: {@code type} is one of the handler types of this process
 * or {@code other}, {@code pool} one of its configured pools. Meters of known combinations are
 * registered at startup so they are exported at zero.
 *
 * <p>Each meter is registered once and kept here: building and registering it again for every
 * attempt (a builder, its tags sorted, the registry's lookup) was about 1 % of the services' CPU
 * samples at 8,000 tasks a second.
 */
public class WorkerMetrics {

    private record AttemptKey(String pool, String type, String outcome) {
    }

    private record PoolAndType(String pool, String type) {
    }

    /** Outcomes of an attempt as seen by the worker. */
    public static final List<String> OUTCOMES =
            List.of("succeeded", "retried", "dead_letter", "timed_out", "abandoned", "fenced");

    private final MeterRegistry registry;
    private final Set<String> knownTypes;
    private final ConcurrentMap<AttemptKey, Counter> attempts = new ConcurrentHashMap<>();
    private final ConcurrentMap<PoolAndType, Timer> executionTimers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> rescued = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> deferred = new ConcurrentHashMap<>();
    private final Counter unreadable;
    private final Counter rowNotVisible;
    private final Counter republishedOverdue;

    public WorkerMetrics(MeterRegistry registry, Collection<String> pools, Set<String> knownTypes) {
        this.registry = registry;
        this.knownTypes = Set.copyOf(knownTypes);
        for (String pool : pools) {
            for (String type : knownTypes) {
                OUTCOMES.forEach(outcome -> attempts(pool, type, outcome));
                executionTimer(pool, type);
            }
        }
        rescuedCounter("heartbeat");
        rescuedCounter("lease");
        deferredCounter("other");
        this.unreadable = Counter.builder("worker_unreadable_records")
                .description("Ready records that could not be read and went to the dead-letter topic")
                .register(registry);
        this.rowNotVisible = Counter.builder("worker_claims_without_row")
                .description("Claims that found no task row yet (released a moment before its insert was visible) "
                        + "and were tried again")
                .register(registry);
        this.republishedOverdue = Counter.builder("worker_republished_overdue_tasks")
                .description("Pending tasks long overdue whose event was published again (a release was lost)")
                .register(registry);
    }

    public void attempt(String pool, String type, String outcome) {
        attempts(pool, type, outcome).increment();
    }

    public void executed(String pool, String type, Duration duration) {
        executionTimer(pool, type).record(duration);
    }

    public void rescued(String reason, int count) {
        rescuedCounter(reason).increment(count);
    }

    public void deferred(String type) {
        deferredCounter(type).increment();
    }

    public void unreadable() {
        unreadable.increment();
    }

    public void rowNotVisible() {
        rowNotVisible.increment();
    }

    public void republishedOverdue(int count) {
        republishedOverdue.increment(count);
    }

    private Counter attempts(String pool, String type, String outcome) {
        return attempts.computeIfAbsent(new AttemptKey(pool, bounded(type), outcome), key ->
                Counter.builder("worker_task_attempts")
                        .description("Attempts finished by this worker, by outcome ('fenced': result refused, claim lost)")
                        .tags("pool", key.pool(), "type", key.type(), "outcome", key.outcome())
                        .register(registry));
    }

    private Timer executionTimer(String pool, String type) {
        return executionTimers.computeIfAbsent(new PoolAndType(pool, bounded(type)), key ->
                Timer.builder("worker_task_execution")
                        .description("Time spent running task handlers")
                        .tags("pool", key.pool(), "type", key.type())
                        .publishPercentileHistogram()
                        .register(registry));
    }

    private Counter rescuedCounter(String reason) {
        return rescued.computeIfAbsent(reason, key -> Counter.builder("worker_rescued_tasks")
                .description("Running tasks taken back from a dead worker ('heartbeat') or an expired lease ('lease')")
                .tag("reason", key)
                .register(registry));
    }

    private Counter deferredCounter(String type) {
        return deferred.computeIfAbsent(bounded(type), key -> Counter.builder("worker_deferred_tasks")
                .description("Tasks put back because their type's concurrency or rate limit was full")
                .tag("type", key)
                .register(registry));
    }

    private String bounded(String type) {
        return knownTypes.contains(type) ? type : "other";
    }
}
