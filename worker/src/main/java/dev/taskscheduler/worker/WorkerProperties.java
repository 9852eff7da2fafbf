package dev.taskscheduler.worker;

import dev.taskscheduler.model.TaskPriority;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of a worker process.
 *
 * @param id              identity recorded in {@code tasks.worker_id}; unique per process (defaults to
 *                        host name, process id and a random suffix)
 * @param pools           pool name → settings; this worker consumes the pool's ready topics
 *                        ({@code tasks.ready.<pool>}, {@code .high}, {@code .low}) for each
 * @param retryJitter     spread of retry delays, ±fraction, so retries of many tasks do not arrive together
 * @param shutdownGrace   on shutdown, how long running tasks may still finish before they are handed back
 * @param heartbeat       liveness of this worker, seen by the others
 * @param rescue          recovery of tasks whose worker is gone
 * @param limits          task type → limits shared by every worker through Redis
 * @param limitDeferral   how long a task first waits before its next try when its type's limit is
 *                        full; the wait doubles with each deferral in a row
 * @param limitDeferralMax the longest such wait
 * @param offsetCommitInterval how often consumers commit the offsets of the releases they claimed
 * @param fetchMaxWait    how long the broker holds a consumer's fetch while its ready topic has nothing
 *                        new: how often an idle consumer asks again. A release that arrives ends the
 *                        wait, and a consumer pauses all its partitions together, so a longer wait
 *                        delays no release; only partitions newly assigned by a rebalance may wait
 *                        for the fetch in flight, up to this long
 * @param topicPartitions partitions of the topics this service creates
 * @param topicReplicas   replication factor of the topics this service creates
 */
@ConfigurationProperties("scheduler.worker")
public record WorkerProperties(
        String id,
        @DefaultValue Map<String, Pool> pools,
        @DefaultValue("0.2") double retryJitter,
        @DefaultValue("30s") Duration shutdownGrace,
        @DefaultValue Heartbeat heartbeat,
        @DefaultValue Rescue rescue,
        @DefaultValue Map<String, Limit> limits,
        @DefaultValue("500ms") Duration limitDeferral,
        @DefaultValue("30s") Duration limitDeferralMax,
        @DefaultValue("1s") Duration offsetCommitInterval,
        @DefaultValue("2s") Duration fetchMaxWait,
        @DefaultValue("3") int topicPartitions,
        @DefaultValue("1") short topicReplicas) {

    public WorkerProperties {
        if (pools.isEmpty()) {
            pools = Map.of("default", Pool.standard());
        }
        if (id == null || id.isBlank()) {
            id = defaultId();
        }
        if (heartbeat.ttl().compareTo(heartbeat.interval().multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("scheduler.worker.heartbeat.ttl must be at least twice the interval");
        }
    }

    private static String defaultId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "worker");
        return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Handlers of one pool this process runs at once, per priority: each priority has a ready topic,
     * a consumer and handler threads of its own, so high-priority tasks never queue behind a backlog
     * of normal or low ones, and low ones get a share that cannot starve. A consumer takes no more
     * released tasks than its handlers have free slots, and claims them with one statement: the
     * handlers of a priority are also the most tasks one claim can take. For tasks that finish in
     * milliseconds that bound is what limits a worker, hence 128 for normal tasks: at 1,500 tasks/s
     * on two cores, release to handler start took p99 462 ms with 32 and 142 ms with 128
     * (BENCHMARKS.md).
     *
     * @param concurrency     handlers of normal-priority tasks ({@code tasks.ready.<pool>})
     * @param highConcurrency handlers of high-priority tasks ({@code tasks.ready.<pool>.high})
     * @param lowConcurrency  handlers of low-priority tasks ({@code tasks.ready.<pool>.low})
     */
    public record Pool(
            @DefaultValue("128") int concurrency,
            @DefaultValue("8") int highConcurrency,
            @DefaultValue("8") int lowConcurrency) {

        public Pool {
            if (concurrency < 1 || highConcurrency < 1 || lowConcurrency < 1) {
                throw new IllegalArgumentException("every priority of a pool needs at least one handler");
            }
        }

        static Pool standard() {
            return new Pool(128, 8, 8);
        }

        public int concurrency(TaskPriority priority) {
            return switch (priority) {
                case HIGH -> highConcurrency;
                case NORMAL -> concurrency;
                case LOW -> lowConcurrency;
            };
        }
    }

    /**
     * @param interval how often the heartbeat key is renewed
     * @param ttl      how long the key lives without renewal: a worker silent this long counts as dead
     */
    public record Heartbeat(@DefaultValue("2s") Duration interval, @DefaultValue("10s") Duration ttl) {
    }

    /**
     * @param interval        how often running tasks are checked for a dead worker or an expired lease
     * @param lease           a running task whose {@code updated_at} is older than this is rescued
     *                        whoever runs it; workers refresh it while their tasks run, only for the
     *                        tasks they still hold
     * @param leaseRefresh    how often a worker refreshes the lease of its running tasks
     * @param overdueAge      a pending task overdue by more than this, untouched for as long, has its
     *                        event published again: the safety net for a release lost on any path
     * @param overdueInterval how often that is checked
     */
    public record Rescue(
            @DefaultValue("5s") Duration interval,
            @DefaultValue("30m") Duration lease,
            @DefaultValue("1m") Duration leaseRefresh,
            @DefaultValue("5m") Duration overdueAge,
            @DefaultValue("1m") Duration overdueInterval) {
    }

    /**
     * @param maxConcurrency most tasks of the type running at once across all workers (0: no limit)
     * @param ratePerSecond  most tasks of the type started per second across all workers (0: no limit)
     */
    public record Limit(@DefaultValue("0") int maxConcurrency, @DefaultValue("0") int ratePerSecond) {
    }
}
