package dev.taskscheduler.worker.liveness;

import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.store.TaskRepository;
import dev.taskscheduler.store.cache.TaskStatusCache;
import dev.taskscheduler.worker.WorkerProperties;
import dev.taskscheduler.worker.execution.WorkerMetrics;
import dev.taskscheduler.worker.limits.TaskTypeLimiter;
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
 *   <li>Heartbeat: a worker holding running tasks whose heartbeat key expired is dead; its tasks
 *       fail their attempt and are due again at once (or dead-lettered when none are left).
 *   <li>Lease: a running task whose {@code updated_at} is older than the lease is rescued whoever
 *       runs it, which also works while Redis is down. Live workers keep their leases fresh.
 * </ul>
 * A result reported later by a rescued worker is refused by the fenced update.
 */
public class DeadWorkerRescuer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeadWorkerRescuer.class);

    private final TaskRepository tasks;
    private final TaskStatusCache cache;
    private final StringRedisTemplate redis;
    private final TaskTypeLimiter limiter;
    private final WorkerProperties properties;
    private final WorkerMetrics metrics;
    private ScheduledExecutorService timer;

    public DeadWorkerRescuer(TaskRepository tasks, TaskStatusCache cache, StringRedisTemplate redis,
            TaskTypeLimiter limiter, WorkerProperties properties, WorkerMetrics metrics) {
        this.tasks = tasks;
        this.cache = cache;
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
        for (String workerId : tasks.workersWithRunningTasks()) {
            if (workerId.equals(properties.id()) || Boolean.TRUE.equals(redis.hasKey(WorkerHeartbeat.keyOf(workerId)))) {
                continue;
            }
            List<StoredTask> rescued = tasks.rescueWorker(workerId,
                    "worker " + workerId + " stopped heartbeating while running this attempt");
            report(rescued, "heartbeat");
            limiter.releaseAllOf(workerId);
        }
    }

    private void report(List<StoredTask> rescued, String reason) {
        for (StoredTask task : rescued) {
            log.warn("Rescued task {} ({}) by {}: now {} at attempt {}", task.id(), task.type(), reason,
                    task.status().dbValue(), task.retryCount());
            cache.put(task);
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
