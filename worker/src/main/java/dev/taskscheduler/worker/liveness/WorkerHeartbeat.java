package dev.taskscheduler.worker.liveness;

import dev.taskscheduler.model.WorkerCapacity;
import dev.taskscheduler.store.TaskClaims;
import dev.taskscheduler.store.WorkerLiveness;
import dev.taskscheduler.worker.WorkerProperties;
import dev.taskscheduler.worker.limits.TaskTypeLimiter;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Tells the other workers this one is alive: a row in {@code worker_heartbeats} stamped with the
 * database's clock and a Redis key with a TTL, both renewed well before they go stale, and a fresh {@code updated_at} on the tasks this worker runs (the lease that works
 * without Redis): only those it holds now, so a claim it gave up on ages and is rescued. Starts before the pool consumers and stops after them, deleting its key.
 */
public class WorkerHeartbeat implements SmartLifecycle {

    /** Before the pool consumers start, after they stop. */
    public static final int PHASE = Integer.MAX_VALUE - 2000;
    private static final Logger log = LoggerFactory.getLogger(WorkerHeartbeat.class);
    private static final String KEY_PREFIX = "worker:heartbeat:";

    private final StringRedisTemplate redis;
    private final WorkerLiveness liveness;
    private final TaskClaims claims;
    private final Supplier<Set<UUID>> runningTasks;
    private final Supplier<WorkerCapacity> capacity;
    private final TaskTypeLimiter limiter;
    private final WorkerProperties properties;
    private final Clock clock;
    private ScheduledExecutorService timer;

    /**
     * @param runningTasks the tasks this worker holds claims on now: only their leases are refreshed
     * @param capacity     its handler pools (how full each is) and limits, written with each beat for operators
     */
    public WorkerHeartbeat(StringRedisTemplate redis, WorkerLiveness liveness, TaskClaims claims,
            Supplier<Set<UUID>> runningTasks, Supplier<WorkerCapacity> capacity, TaskTypeLimiter limiter,
            WorkerProperties properties, Clock clock) {
        this.redis = redis;
        this.liveness = liveness;
        this.claims = claims;
        this.runningTasks = runningTasks;
        this.capacity = capacity;
        this.limiter = limiter;
        this.properties = properties;
        this.clock = clock;
    }

    public static String keyOf(String workerId) {
        return KEY_PREFIX + workerId;
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "worker-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        beat();
        long interval = properties.heartbeat().interval().toMillis();
        timer.scheduleAtFixedRate(this::beat, interval, interval, TimeUnit.MILLISECONDS);
        long refresh = properties.rescue().leaseRefresh().toMillis();
        timer.scheduleAtFixedRate(this::refreshLeases, refresh, refresh, TimeUnit.MILLISECONDS);
        log.info("Worker {} heartbeat every {} (TTL {})", properties.id(), properties.heartbeat().interval(),
                properties.heartbeat().ttl());
    }

    private void beat() {
        try {
            liveness.beat(properties.id(), capacity.get());
        } catch (RuntimeException e) {
            log.warn("Worker {} heartbeat not written to PostgreSQL: {}", properties.id(), e.toString());
        }
        try {
            redis.opsForValue().set(keyOf(properties.id()), Long.toString(clock.millis()), properties.heartbeat().ttl());
            limiter.renewHeld();
        } catch (RuntimeException e) {
            log.warn("Worker {} heartbeat not written to Redis: {}", properties.id(), e.toString());
        }
    }

    private void refreshLeases() {
        try {
            claims.touch(properties.id(), runningTasks.get());
        } catch (RuntimeException e) {
            log.warn("Worker {} could not refresh the lease of its running tasks: {}", properties.id(), e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        timer = null;
        try {
            liveness.forget(properties.id());
        } catch (RuntimeException e) {
            log.warn("Worker {} heartbeat row not deleted (it goes stale): {}", properties.id(), e.toString());
        }
        try {
            redis.delete(keyOf(properties.id()));
        } catch (RuntimeException e) {
            log.warn("Worker {} heartbeat key not deleted (it expires): {}", properties.id(), e.toString());
        }
        log.info("Worker {} heartbeat stopped", properties.id());
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
