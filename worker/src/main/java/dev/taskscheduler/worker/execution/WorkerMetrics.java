package dev.taskscheduler.worker.execution;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The worker's meters. Tags are bounded: {@code type} is one of the handler types of this process
 * or {@code other}, {@code pool} one of its configured pools. Meters of known combinations are
 * registered at startup so they are exported at zero.
 */
public class WorkerMetrics {

    /** Outcomes of an attempt as seen by the worker. */
    public static final List<String> OUTCOMES =
            List.of("succeeded", "retried", "dead_letter", "timed_out", "abandoned", "fenced");

    private final MeterRegistry registry;
    private final Set<String> knownTypes;

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
        unreadableCounter();
        rowNotVisibleCounter();
        republishedOverdueCounter();
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
        unreadableCounter().increment();
    }

    public void rowNotVisible() {
        rowNotVisibleCounter().increment();
    }

    public void republishedOverdue(int count) {
        republishedOverdueCounter().increment(count);
    }

    private Counter attempts(String pool, String type, String outcome) {
        return Counter.builder("worker_task_attempts")
                .description("Attempts finished by this worker, by outcome ('fenced': result refused, claim lost)")
                .tags("pool", pool, "type", bounded(type), "outcome", outcome)
                .register(registry);
    }

    private Timer executionTimer(String pool, String type) {
        return Timer.builder("worker_task_execution")
                .description("Time spent running task handlers")
                .tags("pool", pool, "type", bounded(type))
                .publishPercentileHistogram()
                .register(registry);
    }

    private Counter rescuedCounter(String reason) {
        return Counter.builder("worker_rescued_tasks")
                .description("Running tasks taken back from a dead worker ('heartbeat') or an expired lease ('lease')")
                .tag("reason", reason)
                .register(registry);
    }

    private Counter deferredCounter(String type) {
        return Counter.builder("worker_deferred_tasks")
                .description("Tasks put back because their type's concurrency or rate limit was full")
                .tag("type", bounded(type))
                .register(registry);
    }

    private Counter unreadableCounter() {
        return Counter.builder("worker_unreadable_records")
                .description("Ready records that could not be read and went to the dead-letter topic")
                .register(registry);
    }

    private Counter rowNotVisibleCounter() {
        return Counter.builder("worker_claims_without_row")
                .description("Claims that found no task row yet (released a moment before its insert was visible) "
                        + "and were tried again")
                .register(registry);
    }

    private Counter republishedOverdueCounter() {
        return Counter.builder("worker_republished_overdue_tasks")
                .description("Pending tasks long overdue whose event was published again (a release was lost)")
                .register(registry);
    }

    private String bounded(String type) {
        return knownTypes.contains(type) ? type : "other";
    }
}
