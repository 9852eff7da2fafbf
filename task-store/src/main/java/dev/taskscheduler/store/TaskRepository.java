package dev.taskscheduler.store;

import dev.taskscheduler.model.RetryPolicy;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.model.submission.ValidSubmission;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Plain-SQL access to the {@code tasks} table. Each state change is a conditional UPDATE that names
 * the status (and attempt) it expects, so concurrent or repeated callers cannot both win. The
 * trigger on {@code tasks} writes the matching outbox event in the same transaction.
 */

public class TaskRepository {

    static final String COLUMNS = """
            id, type, payload::text AS payload, status, run_at, retry_count, max_retries, worker_id,
            created_at, updated_at, started_at, finished_at, last_error, result::text AS result,
            idempotency_key, request_fingerprint, timeout_ms, backoff_initial_ms, backoff_multiplier,
            backoff_max_ms, replay_count, priority""";

    static final RowMapper<StoredTask> ROW_MAPPER = TaskRepository::mapRow;

    private final JdbcClient jdbc;
    private final TaskChanges changes;

    /** @param changes told about every row this repository changes (the status cache) */
    public TaskRepository(JdbcClient jdbc, TaskChanges changes) {
        this.jdbc = jdbc;
        this.changes = changes;
    }

    /** A task to insert: the id it gets and what was validated. */
    public record NewTask(UUID id, ValidSubmission submission) {
    }

    /**
     * Inserts new pending tasks with one statement (the table's trigger emits their events with one
     * message). Tasks whose id or idempotency key exists already are skipped, as in
     * {@link #insertPending}. Returns the inserted tasks as stored, in the order given.
     */
    public List<StoredTask> insertPendingAll(List<NewTask> newTasks) {
        if (newTasks.isEmpty()) {
            return List.of();
        }
        int size = newTasks.size();
        UUID[] ids = new UUID[size];
        String[] types = new String[size];
        String[] payloads = new String[size];
        long[] runAtMicros = new long[size];
        int[] maxRetries = new int[size];
        String[] keys = new String[size];
        String[] fingerprints = new String[size];
        long[] timeouts = new long[size];
        long[] initialDelays = new long[size];
        double[] multipliers = new double[size];
        long[] maxDelays = new long[size];
        String[] priorities = new String[size];
        for (int i = 0; i < size; i++) {
            ValidSubmission submission = newTasks.get(i).submission();
            ids[i] = newTasks.get(i).id();
            types[i] = submission.type();
            payloads[i] = submission.payloadJson();
            runAtMicros[i] = ChronoUnit.MICROS.between(Instant.EPOCH, submission.runAt());
            maxRetries[i] = submission.maxRetries();
            keys[i] = submission.idempotencyKey();
            fingerprints[i] = submission.fingerprint();
            timeouts[i] = submission.timeout().toMillis();
            initialDelays[i] = submission.retry().initialDelay().toMillis();
            multipliers[i] = submission.retry().multiplier();
            maxDelays[i] = submission.retry().maxDelay().toMillis();
            priorities[i] = submission.priority().value();
        }
        Map<UUID, Instant[]> inserted = new HashMap<>(size * 2);
        jdbc.sql("""
                        INSERT INTO tasks (id, type, payload, status, run_at, max_retries, idempotency_key,
                                           request_fingerprint, timeout_ms, backoff_initial_ms, backoff_multiplier,
                                           backoff_max_ms, priority)
                        SELECT id, type, payload::jsonb, 'pending',
                               'epoch'::timestamptz + run_at_us * interval '1 microsecond', max_retries,
                               idempotency_key, fingerprint, timeout_ms, backoff_initial_ms, backoff_multiplier,
                               backoff_max_ms, priority
                          FROM unnest(:ids::uuid[], :types::text[], :payloads::text[], :runAts::bigint[],
                                      :maxRetries::int[], :keys::text[], :fingerprints::text[], :timeouts::bigint[],
                                      :initialDelays::bigint[], :multipliers::float8[], :maxDelays::bigint[],
                                      :priorities::text[])
                            AS t(id, type, payload, run_at_us, max_retries, idempotency_key, fingerprint,
                                 timeout_ms, backoff_initial_ms, backoff_multiplier, backoff_max_ms, priority)
                        ON CONFLICT DO NOTHING
                        RETURNING id, created_at, updated_at""")
                .param("ids", ids).param("types", types).param("payloads", payloads).param("runAts", runAtMicros)
                .param("maxRetries", maxRetries).param("keys", keys).param("fingerprints", fingerprints)
                .param("timeouts", timeouts).param("initialDelays", initialDelays).param("multipliers", multipliers)
                .param("maxDelays", maxDelays).param("priorities", priorities)
                .query(rs -> {
                    inserted.put(rs.getObject("id", UUID.class),
                            new Instant[] {instant(rs, "created_at"), instant(rs, "updated_at")});
                });
        List<StoredTask> stored = new ArrayList<>(inserted.size());
        for (NewTask newTask : newTasks) {
            Instant[] times = inserted.get(newTask.id());
            if (times != null) {
                stored.add(asStored(newTask, times[0], times[1]));
            }
        }
        changes.inserted(stored);
        return stored;
    }

    /** A just-inserted task as its row reads, without reading it back. */
    private static StoredTask asStored(NewTask newTask, Instant createdAt, Instant updatedAt) {
        ValidSubmission submission = newTask.submission();
        return new StoredTask(newTask.id(), submission.type(), submission.payloadJson(), TaskStatus.PENDING,
                submission.runAt().truncatedTo(ChronoUnit.MICROS), 0, submission.maxRetries(), null, createdAt,
                updatedAt, null, null, null, null, submission.idempotencyKey(), submission.fingerprint(),
                Duration.ofMillis(submission.timeout().toMillis()), submission.retry(), 0, submission.priority());
    }

    /** The tasks holding any of {@code keys}, by key, in one query. */
    public Map<String, StoredTask> findByIdempotencyKeys(Collection<String> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        Map<String, StoredTask> byKey = new HashMap<>();
        jdbc.sql("SELECT " + COLUMNS + " FROM tasks WHERE idempotency_key = ANY(:keys)")
                .param("keys", keys.toArray(String[]::new))
                .query(ROW_MAPPER)
                .list()
                .forEach(task -> byKey.put(task.idempotencyKey(), task));
        return byKey;
    }

    public Optional<StoredTask> findById(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tasks WHERE id = :id")
                .param("id", id)
                .query(ROW_MAPPER)
                .optional();
    }

    /** Which of {@code ids} exist, in one query. */
    public Set<UUID> existingIds(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("SELECT id FROM tasks WHERE id = ANY(:ids)")
                .param("ids", ids.toArray(UUID[]::new))
                .query(UUID.class)
                .list());
    }

    /**
     * Rescues the running tasks of a worker that is gone: each failed attempt counts, so a task
     * that kills its worker every time ends in the dead-letter queue instead of looping. The
     * next attempt is due after the task's backoff, as after a failure it reported itself.
     *
     * @return the rescued tasks
     */
    public List<StoredTask> rescueWorker(String workerId, String reason) {
        return changed(rescue("worker_id = :workerId", reason).param("workerId", workerId).query(ROW_MAPPER).list());
    }

    /** Rescues running tasks whose {@code updated_at} is older than {@code lease}, whoever runs them. */
    public List<StoredTask> rescueExpiredLeases(Duration lease, String reason) {
        return changed(rescue("updated_at < now() - make_interval(secs => :leaseSeconds)", reason)
                .param("leaseSeconds", lease.toMillis() / 1000.0)
                .query(ROW_MAPPER)
                .list());
    }

    private JdbcClient.StatementSpec rescue(String condition, String reason) {
        return jdbc.sql("""
                        UPDATE tasks
                           SET status = CASE WHEN retry_count >= max_retries THEN 'dead_letter' ELSE 'pending' END,
                               retry_count = CASE WHEN retry_count >= max_retries THEN retry_count
                                                  ELSE retry_count + 1 END,
                               worker_id = CASE WHEN retry_count >= max_retries THEN worker_id END,
                               -- The task's own backoff: a task that takes its worker down does not
                               -- take the next one down at once too.
                               run_at = now() + make_interval(secs => least(backoff_max_ms,
                                            backoff_initial_ms * power(backoff_multiplier, retry_count)) / 1000.0),
                               last_error = :reason, finished_at = now(), updated_at = now()
                         WHERE status = 'running' AND %s
                        RETURNING %s""".formatted(condition, COLUMNS))
                .param("reason", reason);
    }

    /**
     * Publishes again the {@code TaskScheduled} event of up to {@code limit} pending tasks overdue
     * by more than {@code age} and untouched for as long: the safety net for a release lost on any
     * path. Returns how many.
     */
    public int republishOverdue(Duration age, int limit) {
        return jdbc.sql("SELECT republish_overdue(make_interval(secs => :ageSeconds), :limit)")
                .param("ageSeconds", age.toMillis() / 1000.0)
                .param("limit", limit)
                .query(Integer.class)
                .single();
    }

    /**
     * One page of a listing, newest first: at most {@code limit} tasks matching {@code filter},
     * after {@code after} (null: from the newest). Ordered by creation time and then id, so tasks
     * created at the same microsecond are neither skipped nor repeated from page to page.
     */
    public List<StoredTask> page(TaskListFilter filter, PageCursor after, int limit) {
        SqlWhere where = new SqlWhere("true")
                .and("status = :status", "status", filter.status() == null ? null : filter.status().dbValue())
                .types(filter.type(), filter.typesIn(), filter.typesNotIn(), filter.reachableTypes())
                .and("priority = :priority", "priority", filter.priority() == null ? null : filter.priority().value())
                .and("created_at >= :createdFrom", "createdFrom", timestamp(filter.createdFrom()))
                .and("created_at < :createdTo", "createdTo", timestamp(filter.createdTo()))
                .and("id = :id", "id", filter.id())
                .and("idempotency_key = :idempotencyKey", "idempotencyKey", filter.idempotencyKey());
        if (after != null) {
            // Written so that the index on created_at bounds the scan; the id breaks ties.
            where.andAll("created_at <= :afterAt AND (created_at < :afterAt OR id < :afterId)",
                    "afterAt", timestamp(after.at()), "afterId", after.id());
        }
        return where.bind(jdbc.sql("SELECT " + COLUMNS + " FROM tasks WHERE " + where.sql()
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit"))
                .param("limit", limit)
                .query(ROW_MAPPER)
                .list();
    }

    static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    /** pending → cancelled; the trigger tells the scheduler to drop the timer. Empty unless pending. */
    public Optional<StoredTask> cancel(UUID id) {
        return changed(jdbc.sql("""
                        UPDATE tasks SET status = 'cancelled', finished_at = now(), updated_at = now()
                         WHERE id = :id AND status = 'pending'
                        RETURNING %s""".formatted(COLUMNS))
                .param("id", id)
                .query(ROW_MAPPER)
                .optional());
    }

    /** Moves the due time of a pending task; the trigger replaces its timer. Empty unless pending. */
    public Optional<StoredTask> reschedule(UUID id, Instant runAt) {
        return changed(jdbc.sql("""
                        UPDATE tasks SET run_at = :runAt, updated_at = now()
                         WHERE id = :id AND status = 'pending'
                        RETURNING %s""".formatted(COLUMNS))
                .param("id", id)
                .param("runAt", Timestamp.from(runAt))
                .query(ROW_MAPPER)
                .optional());
    }

    /**
     * The operators' stuck-task reset: running tasks not updated for {@code olderThan} go back to
     * pending at the same attempt (the trigger schedules them again).
     */
    public List<StoredTask> resetStuck(Duration olderThan) {
        return changed(jdbc.sql("""
                        UPDATE tasks SET status = 'pending', worker_id = NULL, updated_at = now()
                         WHERE status = 'running' AND updated_at < now() - make_interval(secs => :seconds)
                        RETURNING %s""".formatted(COLUMNS))
                .param("seconds", olderThan.toMillis() / 1000.0)
                .query(ROW_MAPPER)
                .list());
    }

    private List<StoredTask> changed(List<StoredTask> rows) {
        changes.changed(rows);
        return rows;
    }

    private Optional<StoredTask> changed(Optional<StoredTask> row) {
        row.ifPresent(task -> changes.changed(List.of(task)));
        return row;
    }

    /** The attempt history of a task, oldest first, with the attempt running now if there is one. */
    public List<TaskAttempt> findAttempts(UUID taskId) {
        return jdbc.sql("""
                        SELECT attempt, worker_id, started_at, finished_at, outcome, error
                          FROM all_task_attempts WHERE task_id = :taskId ORDER BY started_at, attempt""")
                .param("taskId", taskId)
                .query((rs, rowNum) -> new TaskAttempt(rs.getInt("attempt"), rs.getString("worker_id"),
                        instant(rs, "started_at"), instant(rs, "finished_at"), rs.getString("outcome"),
                        rs.getString("error")))
                .list();
    }

    private static StoredTask mapRow(ResultSet rs, int rowNum) throws SQLException {
        return new StoredTask(
                rs.getObject("id", UUID.class),
                rs.getString("type"),
                rs.getString("payload"),
                TaskStatus.fromDbValue(rs.getString("status")),
                instant(rs, "run_at"),
                rs.getInt("retry_count"),
                rs.getInt("max_retries"),
                rs.getString("worker_id"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"),
                rs.getString("last_error"),
                rs.getString("result"),
                rs.getString("idempotency_key"),
                rs.getString("request_fingerprint"),
                Duration.ofMillis(rs.getLong("timeout_ms")),
                new RetryPolicy(Duration.ofMillis(rs.getLong("backoff_initial_ms")), rs.getDouble("backoff_multiplier"),
                        Duration.ofMillis(rs.getLong("backoff_max_ms"))),
                rs.getInt("replay_count"),
                TaskPriority.fromValue(rs.getString("priority")));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
