package dev.taskscheduler.worker.liveness;

import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.store.TaskRepository;
import dev.taskscheduler.store.WorkerLiveness;
import dev.taskscheduler.worker.WorkerProperties;
import dev.taskscheduler.worker.execution.WorkerMetrics;
import dev.taskscheduler.worker.limits.TaskTypeLimiter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Brings back tasks whose worker is gone. Every worker runs this check; the rescue itself is a
 * conditional update, so two workers rescuing at once do it once.
 *
 * <ul>
 *   <li>Heartbeat: a worker holding running tasks whose heartbeat row in PostgreSQL went stale and
 *       whose Redis key is gone too is dead; its tasks fail their attempt and are due again after
 *       their backoff (or dead-lettered when none are left). Two witnesses: a Redis that was
 *       restarted, flushed or cannot be reached does not make a live worker look dead.
 *   <li>Lease: a running task whose {@code updated_at} is older than the lease is rescued whoever
 *       runs it, which also works while Redis is down. Live workers keep their leases fresh.
 * </ul>
 * A result reported later by a rescued worker is refused by the fenced update.
 */
public class DeadWorkerRescuer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeadWorkerRescuer.class);
    /** Most overdue tasks published again per sweep: a backlog is worked off over several sweeps. */
    private static final int OVERDUE_BATCH = 1000;

    private final TaskRepository tasks;
    private final WorkerLiveness liveness;
    private final StringRedisTemplate redis;
    private final TaskTypeLimiter limiter;
    private final WorkerProperties properties;
    private final WorkerMetrics metrics;
    private ScheduledExecutorService timer;

    public DeadWorkerRescuer(TaskRepository tasks, WorkerLiveness liveness, StringRedisTemplate redis, TaskTypeLimiter limiter, WorkerProperties properties, WorkerMetrics metrics) {
        this.tasks = tasks;
        this.liveness = liveness;
        this.redis = redis;
        this.limiter = limiter;
        this.properties = properties;
        this.metrics = metrics;
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "worker-rescuer");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.rescue().interval().toMillis();
        timer.scheduleWithFixedDelay(this::sweep, interval, interval, TimeUnit.MILLISECONDS);
        long overdue = properties.rescue().overdueInterval().toMillis();
        timer.scheduleWithFixedDelay(this::republishOverdue, overdue, overdue, TimeUnit.MILLISECONDS);
    }

    /**
     * The safety net: pending tasks long overdue get their event again, whatever lost their
     * release. Also forgets the heartbeat rows of workers gone for a day.
     */
    void republishOverdue() {
        try {
            int republished = tasks.republishOverdue(properties.rescue().overdueAge(), OVERDUE_BATCH);
            if (republished > 0) {
                log.warn("Published the events of {} tasks overdue by more than {} again", republished,
                        properties.rescue().overdueAge());
            }
            metrics.republishedOverdue(republished);
            liveness.forgetOlderThan(Duration.ofDays(1));
        } catch (RuntimeException e) {
            log.warn("Overdue-task sweep skipped this round: {}", e.toString());
        }
    }

    /** One pass; never throws, so the schedule keeps running. */
    void sweep() {
        try {
            rescueWorkersWithoutHeartbeat();
        } catch (RuntimeException e) {
            log.warn("Heartbeat-based rescue skipped this round: {}", e.toString());
        }
        try {
            List<StoredTask> rescued = tasks.rescueExpiredLeases(properties.rescue().lease(),
                    "lease expired: no progress reported for " + properties.rescue().lease());
            report(rescued, "lease");
        } catch (RuntimeException e) {
            log.warn("Lease-based rescue skipped this round: {}", e.toString());
        }
    }

    private void rescueWorkersWithoutHeartbeat() {
        for (String workerId : liveness.silentWorkersWithRunningTasks(properties.heartbeat().ttl())) {
            if (workerId.equals(properties.id()) || hasRedisKey(workerId)) {
                continue;
            }
            List<StoredTask> rescued = tasks.rescueWorker(workerId,
                    "worker " + workerId + " stopped heartbeating while running this attempt");
            report(rescued, "heartbeat");
            limiter.releaseAllOf(workerId);
        }
    }

    /** The second witness; a Redis that cannot be asked says nothing either way. */
    private boolean hasRedisKey(String workerId) {
        try {
            return Boolean.TRUE.equals(redis.hasKey(WorkerHeartbeat.keyOf(workerId)));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void report(List<StoredTask> rescued, String reason) {
        for (StoredTask task : rescued) {
            log.warn("Rescued task {} ({}) by {}: now {} at attempt {}", task.id(), task.type(), reason,
                    task.status().dbValue(), task.retryCount());
        }
        metrics.rescued(reason, rescued.size());
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
