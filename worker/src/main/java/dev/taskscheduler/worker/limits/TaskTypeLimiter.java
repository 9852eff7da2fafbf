package dev.taskscheduler.worker.limits;

import dev.taskscheduler.worker.WorkerProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Per-task-type concurrency and rate limits shared by every worker through Redis.
 *
 * <p>Concurrency: a sorted set per type holds one member per running task ({@code workerId/taskId})
 * scored by when the permit expires; a permit is taken only while fewer than the limit are live.
 * Permits are renewed with the worker's heartbeat and removed when a dead worker's tasks are
 * rescued, so a crashed worker does not hold capacity. Rate: a counter per type and second.
 * Both checks and the grant happen in one script, atomically.
 *
 * <p>If Redis cannot be asked, the permit is refused: limits stay limits, and the task only waits.
 */
public class TaskTypeLimiter {

    private static final Logger log = LoggerFactory.getLogger(TaskTypeLimiter.class);

    private static final RedisScript<Long> ACQUIRE = RedisScript.of("""
            local now = tonumber(ARGV[1])
            local maxConcurrency = tonumber(ARGV[4])
            local rate = tonumber(ARGV[5])
            if maxConcurrency > 0 then
              redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
              if redis.call('ZCARD', KEYS[1]) >= maxConcurrency then
                return 0
              end
            end
            if rate > 0 then
              local started = redis.call('INCR', KEYS[2])
              if started == 1 then
                redis.call('PEXPIRE', KEYS[2], 2000)
              end
              if started > rate then
                return 0
              end
            end
            if maxConcurrency > 0 then
              redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
              redis.call('PEXPIRE', KEYS[1], ARGV[6])
            end
            return 1""", Long.class);

    private final StringRedisTemplate redis;
    private final Map<String, WorkerProperties.Limit> limits;
    private final String workerId;
    private final Duration permitTtl;
    private final Clock clock;
    private final Set<Permit> held = ConcurrentHashMap.newKeySet();

    /** @param permitTtl how long a permit lives without renewal (renewed by the heartbeat) */
    public TaskTypeLimiter(StringRedisTemplate redis, Map<String, WorkerProperties.Limit> limits, String workerId,
            Duration permitTtl, Clock clock) {
        this.redis = redis;
        this.limits = Map.copyOf(limits);
        this.workerId = workerId;
        this.permitTtl = permitTtl;
        this.clock = clock;
    }

    /** A granted permit; {@link #release(Permit)} it when the task is done. */
    public record Permit(String type, String member) {
        static final Permit UNLIMITED = new Permit(null, null);
    }

    /** Returns a permit, or null when the type's limit is reached (or Redis cannot be asked). */
    public Permit tryAcquire(String type, UUID taskId) {
        WorkerProperties.Limit limit = limits.get(type);
        if (limit == null || (limit.maxConcurrency() <= 0 && limit.ratePerSecond() <= 0)) {
            return Permit.UNLIMITED;
        }
        long now = clock.millis();
        Permit permit = new Permit(type, workerId + "/" + taskId);
        try {
            Long granted = redis.execute(ACQUIRE, List.of(runningKey(type), rateKey(type, now / 1000)),
                    Long.toString(now), Long.toString(now + permitTtl.toMillis()), permit.member(),
                    Integer.toString(limit.maxConcurrency()), Integer.toString(limit.ratePerSecond()),
                    Long.toString(permitTtl.toMillis() * 2));
            if (granted == null || granted != 1L) {
                return null;
            }
        } catch (RuntimeException e) {
            log.warn("Limit of task type {} cannot be checked in Redis; task {} waits: {}", type, taskId, e.toString());
            return null;
        }
        if (limit.maxConcurrency() > 0) {
            held.add(permit);
        }
        return permit;
    }

    public void release(Permit permit) {
        if (permit == null || permit == Permit.UNLIMITED || !held.remove(permit)) {
            return;
        }
        try {
            redis.opsForZSet().remove(runningKey(permit.type()), permit.member());
        } catch (RuntimeException e) {
            log.warn("Permit {} of task type {} not released in Redis (it expires): {}", permit.member(),
                    permit.type(), e.toString());
        }
    }

    /** Extends this worker's permits; called with every heartbeat. */
    public void renewHeld() {
        double expiry = clock.millis() + permitTtl.toMillis();
        for (Permit permit : held) {
            redis.opsForZSet().add(runningKey(permit.type()), permit.member(), expiry);
        }
    }

    /** Drops every permit a (dead) worker still holds. */
    public void releaseAllOf(String deadWorkerId) {
        for (String type : limits.keySet()) {
            String key = runningKey(type);
            Set<String> members = redis.opsForZSet().range(key, 0, -1);
            if (members == null) {
                continue;
            }
            members.stream()
                    .filter(member -> member.startsWith(deadWorkerId + "/"))
                    .forEach(member -> redis.opsForZSet().remove(key, member));
        }
    }

    private static String runningKey(String type) {
        return "limit:running:" + type;
    }

    private static String rateKey(String type, long second) {
        return "limit:rate:" + type + ":" + second;
    }
}
