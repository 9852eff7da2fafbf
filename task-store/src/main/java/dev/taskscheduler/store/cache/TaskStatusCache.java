package dev.taskscheduler.store.cache;

import dev.taskscheduler.model.Json;
import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.store.TaskChanges;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Copy of task rows in Redis, so status reads do not hit PostgreSQL. It is only a cache: every
 * write goes to PostgreSQL first, entries expire, and any Redis failure is logged and treated as a
 * miss, so losing Redis loses nothing.
 *
 * <p>Several processes write the same entry (the api-server on submit and on read-through, workers
 * on every transition) and their writes can arrive out of order. Each entry therefore carries the
 * row's {@code updated_at}, and a write only replaces an entry that is older.
 */
public class TaskStatusCache implements TaskChanges {

    private static final Logger log = LoggerFactory.getLogger(TaskStatusCache.class);
    private static final String KEY_PREFIX = "task:";

    private static final RedisScript<Long> PUT_IF_NEWER = RedisScript.of("""
            local current = redis.call('HGET', KEYS[1], 'version')
            if current and tonumber(current) >= tonumber(ARGV[2]) then
              return 0
            end
            redis.call('HSET', KEYS[1], 'task', ARGV[1], 'version', ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return 1""", Long.class);

    private final StringRedisTemplate redis;
    private final Duration ttl;

    public TaskStatusCache(StringRedisTemplate redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
    }

    /** Stores the row unless the cache already holds the same or a later version of it. */
    public void put(StoredTask task) {
        try {
            redis.execute(PUT_IF_NEWER, List.of(key(task.id())),
                    Json.write(task), Long.toString(version(task)), Long.toString(ttl.toMillis()));
        } catch (RuntimeException e) {
            log.warn("Could not cache task {} in Redis: {}", task.id(), e.toString());
        }
    }

    /**
     * {@link #put} for many rows in one round trip (a pipeline): the cost of a batch of changes is
     * one exchange with Redis, not one per task.
     */
    public void putAll(Collection<StoredTask> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        if (tasks.size() == 1) {
            put(tasks.iterator().next());
            return;
        }
        byte[] script = PUT_IF_NEWER.getScriptAsString().getBytes(StandardCharsets.UTF_8);
        byte[] ttlMillis = Long.toString(ttl.toMillis()).getBytes(StandardCharsets.UTF_8);
        try {
            redis.executePipelined((RedisCallback<Object>) connection -> {
                for (StoredTask task : tasks) {
                    // EVAL, not EVALSHA: a pipeline cannot fall back when the server lost its script cache.
                    connection.scriptingCommands().eval(script, ReturnType.INTEGER, 1,
                            key(task.id()).getBytes(StandardCharsets.UTF_8),
                            Json.mapper().writeValueAsBytes(task),
                            Long.toString(version(task)).getBytes(StandardCharsets.UTF_8), ttlMillis);
                }
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("Could not cache {} tasks in Redis: {}", tasks.size(), e.toString());
        }
    }

    /**
     * Writes changed rows through to the cache: after the commit of the current transaction (never a
     * row that was rolled back), all of that transaction's rows in one pipeline; at once when there
     * is no transaction.
     */
    @Override
    public void changed(Collection<StoredTask> rows) {
        if (rows.isEmpty()) {
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            putAll(rows);
            return;
        }
        @SuppressWarnings("unchecked")
        List<StoredTask> pending = (List<StoredTask>) TransactionSynchronizationManager.getResource(this);
        if (pending == null) {
            List<StoredTask> afterCommit = new ArrayList<>();
            TransactionSynchronizationManager.bindResource(this, afterCommit);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(TaskStatusCache.this);
                    if (status == STATUS_COMMITTED) {
                        putAll(afterCommit);
                    }
                }
            });
            pending = afterCommit;
        }
        pending.addAll(rows);
    }

    public Optional<StoredTask> get(UUID id) {
        try {
            Object json = redis.opsForHash().get(key(id), "task");
            return Optional.ofNullable(json).map(value -> Json.read((String) value, StoredTask.class));
        } catch (RuntimeException e) {
            log.warn("Could not read task {} from Redis, reading PostgreSQL: {}", id, e.toString());
            return Optional.empty();
        }
    }

    private static long version(StoredTask task) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, task.updatedAt());
    }

    private static String key(UUID id) {
        return KEY_PREFIX + id;
    }
}
