package dev.taskscheduler.store.cache;

import dev.taskscheduler.model.Json;
import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.store.TaskChanges;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Copy of task rows in Redis, so status reads do not hit PostgreSQL. It is only a cache: every
 * write goes to PostgreSQL first, entries expire, and any Redis failure is logged and treated as a
 * miss, so losing Redis loses nothing.
 *
 * <p>Several processes write the same entry (the api-server on submit and on read-through, workers
 * on every transition) and their writes can arrive out of order. Each entry therefore carries the
 * row's {@code updated_at}, and a write only replaces an entry that is older.
 *
 * <p>An entry is a plain string: the version as {@value #VERSION_DIGITS} decimal digits, then the
 * row's JSON in a compact form ({@link CachedRow}). Fixed width lets the script compare versions as
 * strings and read only the prefix ({@code GETRANGE}), and a string is written with its expiry in one
 * {@code SET … PX}. (Entries of older versions were hashes; a write replaces one, and a read treats
 * one as a miss.)
 *
 * <p>Rows reach Redis after their commit, in one of two ways. {@link #changed} writes them before the
 * committing call returns, so that whoever made the change reads it back: an operator's cancel,
 * then a read of the task. Rows just inserted ({@link #inserted}), and every change made through
 * {@link #writeBehind()} (the worker's, which answer no one), are handed to a writer thread
 * instead ({@link WriteBehind}), which gathers rows for up to {@link #WRITE_BEHIND_LINGER} and
 * writes the newest of each task in one call: a reader of such a row finds the previous version, or
 * none and reads PostgreSQL, for up to about that much longer. A short task's claim is then mostly
 * never written, only its outcome.
 */
public class TaskStatusCache implements TaskChanges, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskStatusCache.class);
    private static final String KEY_PREFIX = "task:";

    /**
     * Stores each entry (KEYS[i], ARGV[i] the entry) unless the cache holds the same or a later
     * version of it; the last argument is the time to live in milliseconds. One script for a whole
     * batch: one command and one round trip on the shared connection, however many rows.
     * {@code pcall}: a key that still holds an older version's hash reads as absent and is replaced.
     */
    private static final RedisScript<Long> PUT_ALL_IF_NEWER = RedisScript.of("""
            local ttl = ARGV[#ARGV]
            local written = 0
            for i, key in ipairs(KEYS) do
              local entry = ARGV[i]
              local current = redis.pcall('GETRANGE', key, 0, %d)
              if type(current) ~= 'string' or current < string.sub(entry, 1, %d) then
                redis.call('SET', key, entry, 'PX', ttl)
                written = written + 1
              end
            end
            return written""".formatted(TaskStatusCache.VERSION_DIGITS - 1, TaskStatusCache.VERSION_DIGITS),
            Long.class);

    /** Digits of an entry's version: microseconds since 1970 stay within 16 until the year 2286. */
    static final int VERSION_DIGITS = 16;

    /** Rows per script call: bounds how long one call holds Redis, which runs scripts one at a time. */
    static final int ROWS_PER_CALL = 500;

    /**
     * Size of the rows that may wait for the writer thread, in characters of their JSON, before
     * committing threads wait for room: some 50,000 rows of small payloads, 250 of the largest.
     */
    static final int WRITE_BEHIND_BUDGET_CHARS = 16 * 1024 * 1024;

    /**
     * How long the writer thread gathers rows before it writes them: long enough that a short task's
     * claim and outcome usually meet in one batch and only the outcome is written, short enough that
     * a reader rarely misses a row it could have found.
     */
    static final Duration WRITE_BEHIND_LINGER = Duration.ofMillis(100);

    private final StringRedisTemplate redis;
    private final Duration ttl;
    private final WriteBehind behind;
    /** The same cache, written behind for every change. */
    private final TaskChanges writeBehind = new TaskChanges() {
        @Override
        public void changed(Collection<StoredTask> rows) {
            afterCommit(rows, behind, behind::write);
        }
    };

    public TaskStatusCache(StringRedisTemplate redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
        this.behind = new WriteBehind(WRITE_BEHIND_BUDGET_CHARS, ROWS_PER_CALL, WRITE_BEHIND_LINGER, this::putAll);
    }

    /** For writers whose changes no caller reads back at once (the worker's): every change written behind. */
    public TaskChanges writeBehind() {
        return writeBehind;
    }

    /** Writes what is still queued for Redis, for at most a few seconds. */
    @Override
    public void close() {
        behind.close();
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
            Object[] args = new Object[chunk.size() + 1];
            for (int i = 0; i < chunk.size(); i++) {
                StoredTask task = chunk.get(i);
                keys.add(key(task.id()));
                args[i] = entry(task);
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
     * row that was rolled back), all of that transaction's rows in one script call, before the commit
     * returns; at once when there is no transaction.
     */
    @Override
    public void changed(Collection<StoredTask> rows) {
        afterCommit(rows, this, this::putAll);
    }

    /** Rows just inserted: handed to the writer thread after the commit, since no reader holds a copy. */
    @Override
    public void inserted(Collection<StoredTask> rows) {
        writeBehind.changed(rows);
    }

    /**
     * Gives {@code write} the rows after the current transaction commits, all of its rows at once
     * (collected under {@code resource}), or at once when there is no transaction.
     */
    private static void afterCommit(Collection<StoredTask> rows, Object resource,
            Consumer<Collection<StoredTask>> write) {
        if (rows.isEmpty()) {
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            write.accept(rows);
            return;
        }
        @SuppressWarnings("unchecked")
        List<StoredTask> pending = (List<StoredTask>) TransactionSynchronizationManager.getResource(resource);
        if (pending == null) {
            List<StoredTask> afterCommit = new ArrayList<>();
            TransactionSynchronizationManager.bindResource(resource, afterCommit);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(resource);
                    if (status == STATUS_COMMITTED) {
                        write.accept(afterCommit);
                    }
                }
            });
            pending = afterCommit;
        }
        pending.addAll(rows);
    }

    public Optional<StoredTask> get(UUID id) {
        try {
            String entry = redis.opsForValue().get(key(id));
            return Optional.ofNullable(entry).flatMap(value -> row(id, value));
        } catch (InvalidDataAccessApiUsageException e) {
            // WRONGTYPE: an entry an older version wrote as a hash; the next write replaces it.
            return Optional.empty();
        } catch (RuntimeException e) {
            log.warn("Could not read task {} from Redis, reading PostgreSQL: {}", id, e.toString());
            return Optional.empty();
        }
    }

    /**
     * The cache entry of a row: its version ({@code updated_at} in microseconds), zero-padded to a
     * fixed width, then the rest of the row as {@link CachedRow}'s JSON.
     */
    static String entry(StoredTask task) {
        String version = Long.toString(CachedRow.micros(task.updatedAt()));
        return "0".repeat(VERSION_DIGITS - version.length()) + version + Json.write(CachedRow.of(task));
    }

    /**
     * The row an entry holds; empty for an entry in an older version's format, which the task's next
     * change replaces (or its expiry removes).
     */
    static Optional<StoredTask> row(UUID id, String entry) {
        Instant updatedAt = CachedRow.instant(Long.parseLong(entry, 0, VERSION_DIGITS, 10));
        try {
            return Optional.of(Json.read(entry.substring(VERSION_DIGITS), CachedRow.class).toRow(id, updatedAt));
        } catch (MismatchedInputException e) {
            return Optional.empty();
        }
    }

    private static String key(UUID id) {
        return KEY_PREFIX + id;
    }
}
