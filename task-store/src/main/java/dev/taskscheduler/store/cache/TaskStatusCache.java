package dev.taskscheduler.store.cache;

import dev.taskscheduler.model.Json;
import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.store.TaskChanges;
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

    /**
     * Stores each row (KEYS[i], ARGV[2i-1] the row, ARGV[2i] its version) unless the entry holds the
     * same or a later version; the last argument is the time to live in milliseconds. One script for
     * a whole batch: one command and one round trip on the shared connection, however many rows.
     */
    private static final RedisScript<Long> PUT_ALL_IF_NEWER = RedisScript.of("""
            local ttl = ARGV[#ARGV]
            local written = 0
            for i, key in ipairs(KEYS) do
              local version = ARGV[2 * i]
              local current = redis.call('HGET', key, 'version')
              if not current or tonumber(current) < tonumber(version) then
                redis.call('HSET', key, 'task', ARGV[2 * i - 1], 'version', version)
                redis.call('PEXPIRE', key, ttl)
                written = written + 1
              end
            end
            return written""", Long.class);

    /** Rows per script call: bounds how long one call holds Redis, which runs scripts one at a time. */
    static final int ROWS_PER_CALL = 500;

    private final StringRedisTemplate redis;
    private final Duration ttl;

    public TaskStatusCache(StringRedisTemplate redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
    }

    /** Stores the row unless the cache already holds the same or a later version of it. */
    public void put(StoredTask task) {
        putAll(List.of(task));
    }

    /** {@link #put} for many rows, in one script call per {@value #ROWS_PER_CALL} rows. */
    public void putAll(Collection<StoredTask> tasks) {
        List<StoredTask> rows = List.copyOf(tasks);
        for (int from = 0; from < rows.size(); from += ROWS_PER_CALL) {
            List<StoredTask> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_CALL));
            List<String> keys = new ArrayList<>(chunk.size());
            Object[] args = new Object[2 * chunk.size() + 1];
            for (int i = 0; i < chunk.size(); i++) {
                StoredTask task = chunk.get(i);
                keys.add(key(task.id()));
                args[2 * i] = Json.write(task);
                args[2 * i + 1] = Long.toString(version(task));
            }
            args[args.length - 1] = Long.toString(ttl.toMillis());
            try {
                redis.execute(PUT_ALL_IF_NEWER, keys, args);
            } catch (RuntimeException e) {
                log.warn("Could not cache {} tasks in Redis: {}", chunk.size(), e.toString());
            }
        }
    }

    /**
     * Writes changed rows through to the cache: after the commit of the current transaction (never a
     * row that was rolled back), all of that transaction's rows in one script call; at once when there
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
