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
import java.util.Collection;
import java.util.List;
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

    /** Matches only while the caller still holds the claim on this attempt. */
    private static final String HELD_BY_CLAIMANT =
            "WHERE id = :id AND status = 'running' AND retry_count = :attempt AND worker_id = :workerId RETURNING "
                    + COLUMNS;

    static final RowMapper<StoredTask> ROW_MAPPER = TaskRepository::mapRow;

    private final JdbcClient jdbc;

    public TaskRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts a new pending task. Returns empty when a task with the same idempotency key (or id)
     * exists already (the caller then looks that one up).
     */
    public Optional<StoredTask> insertPending(UUID id, ValidSubmission submission) {
        return jdbc.sql("""
                        INSERT INTO tasks (id, type, payload, status, run_at, max_retries,
                                           idempotency_key, request_fingerprint, timeout_ms,
                                           backoff_initial_ms, backoff_multiplier, backoff_max_ms, priority)
                        VALUES (:id, :type, :payload::jsonb, 'pending', :runAt, :maxRetries,
                                :idempotencyKey, :fingerprint, :timeoutMs,
                                :backoffInitialMs, :backoffMultiplier, :backoffMaxMs, :priority)
                        ON CONFLICT DO NOTHING
                        RETURNING %s""".formatted(COLUMNS))
                .param("id", id)
                .param("type", submission.type())
                .param("payload", submission.payloadJson())
                .param("runAt", Timestamp.from(submission.runAt()))
                .param("maxRetries", submission.maxRetries())
                .param("idempotencyKey", submission.idempotencyKey())
                .param("fingerprint", submission.fingerprint())
                .param("timeoutMs", submission.timeout().toMillis())
                .param("backoffInitialMs", submission.retry().initialDelay().toMillis())
                .param("backoffMultiplier", submission.retry().multiplier())
                .param("backoffMaxMs", submission.retry().maxDelay().toMillis())
                .param("priority", submission.priority().value())
                .query(ROW_MAPPER)
                .optional();
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

    public boolean exists(UUID id) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM tasks WHERE id = :id)").param("id", id)
                .query(Boolean.class).single();
    }

    public Optional<StoredTask> findByIdempotencyKey(String key) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tasks WHERE idempotency_key = :key")
                .param("key", key)
                .query(ROW_MAPPER)
                .optional();
    }

    /**
     * pending → running for exactly this attempt. Empty when the task is not pending at that
     * attempt any more (already claimed, finished, cancelled, or a newer attempt exists), which
     * is how a duplicated or stale ready record is recognised.
     */
    public Optional<StoredTask> claim(UUID id, int attempt, String workerId) {
        return jdbc.sql("""
                        UPDATE tasks
                           SET status = 'running', worker_id = :workerId, started_at = now(),
                               finished_at = NULL, updated_at = now()
                         WHERE id = :id AND status = 'pending' AND retry_count = :attempt
                        RETURNING %s""".formatted(COLUMNS))
                .param("id", id)
                .param("attempt", attempt)
                .param("workerId", workerId)
                .query(ROW_MAPPER)
                .optional();
    }

    /** running → succeeded, only for the worker and attempt that hold the claim. */
    public Optional<StoredTask> markSucceeded(UUID id, int attempt, String workerId, String resultJson) {
        return jdbc.sql("""
                        UPDATE tasks
                           SET status = 'succeeded', result = :result::jsonb, last_error = NULL,
                               finished_at = now(), updated_at = now()
                        """ + HELD_BY_CLAIMANT)
                .param("id", id)
                .param("attempt", attempt)
                .param("workerId", workerId)
                .param("result", resultJson)
                .query(ROW_MAPPER)
                .optional();
    }

    /**
     * running → pending with the next attempt due at {@code nextRunAt}, only for the claim holder.
     * The trigger publishes the new due time, so the scheduler picks the retry up.
     */
    public Optional<StoredTask> markRetry(UUID id, int attempt, String workerId, String error, Instant nextRunAt) {
        return jdbc.sql("""
                        UPDATE tasks
                           SET status = 'pending', retry_count = retry_count + 1, run_at = :runAt,
                               last_error = :error, worker_id = NULL, finished_at = now(),
                               updated_at = now()
                        """ + HELD_BY_CLAIMANT)
                .param("id", id)
                .param("attempt", attempt)
                .param("workerId", workerId)
                .param("error", error)
                .param("runAt", Timestamp.from(nextRunAt))
                .query(ROW_MAPPER)
                .optional();
    }

    /** running → dead_letter, only for the claim holder: no attempts left. */
    public Optional<StoredTask> markDeadLetter(UUID id, int attempt, String workerId, String error) {
        return jdbc.sql("""
                        UPDATE tasks
                           SET status = 'dead_letter', last_error = :error, finished_at = now(),
                               updated_at = now()
                        """ + HELD_BY_CLAIMANT)
                .param("id", id)
                .param("attempt", attempt)
                .param("workerId", workerId)
                .param("error", error)
                .query(ROW_MAPPER)
                .optional();
    }

    /**
     * running → pending at the same attempt, for the claim holder: the worker hands the task back
     * unfinished (shutting down). Not counted as an attempt; runs again at once.
     */
    public Optional<StoredTask> giveBack(UUID id, int attempt, String workerId, String reason) {
        return jdbc.sql("""
                        UPDATE tasks
                           SET status = 'pending', run_at = now(), worker_id = NULL, last_error = :reason,
                               updated_at = now()
                        """ + HELD_BY_CLAIMANT)
                .param("id", id)
                .param("attempt", attempt)
                .param("workerId", workerId)
                .param("reason", reason)
                .query(ROW_MAPPER)
                .optional();
    }

    /**
     * Moves a pending task's due time without claiming it (a concurrency or rate limit is full).
     * The trigger publishes the new due time. Returns false when the attempt is no longer pending.
     */
    public boolean defer(UUID id, int attempt, Instant runAt) {
        return jdbc.sql("""
                        UPDATE tasks SET run_at = :runAt, updated_at = now()
                         WHERE id = :id AND status = 'pending' AND retry_count = :attempt""")
                .param("id", id)
                .param("attempt", attempt)
                .param("runAt", Timestamp.from(runAt))
                .update() == 1;
    }

    /**
     * Rescues the running tasks of a worker that is gone: each failed attempt counts, so a task
     * that kills its worker every time ends in the dead-letter queue instead of looping. The
     * next attempt is due at once.
     *
     * @return the rescued tasks
     */
    public List<StoredTask> rescueWorker(String workerId, String reason) {
        return rescue("worker_id = :workerId", reason).param("workerId", workerId).query(ROW_MAPPER).list();
    }

    /** Rescues running tasks whose {@code updated_at} is older than {@code lease}, whoever runs them. */
    public List<StoredTask> rescueExpiredLeases(Duration lease, String reason) {
        return rescue("updated_at < now() - make_interval(secs => :leaseSeconds)", reason)
                .param("leaseSeconds", lease.toMillis() / 1000.0)
                .query(ROW_MAPPER)
                .list();
    }

    private JdbcClient.StatementSpec rescue(String condition, String reason) {
        return jdbc.sql("""
                        UPDATE tasks
                           SET status = CASE WHEN retry_count >= max_retries THEN 'dead_letter' ELSE 'pending' END,
                               retry_count = CASE WHEN retry_count >= max_retries THEN retry_count
                                                  ELSE retry_count + 1 END,
                               worker_id = CASE WHEN retry_count >= max_retries THEN worker_id END,
                               run_at = now(), last_error = :reason, finished_at = now(), updated_at = now()
                         WHERE status = 'running' AND %s
                        RETURNING %s""".formatted(condition, COLUMNS))
                .param("reason", reason);
    }

    /** Keeps the lease of this worker's running tasks fresh while they run. */
    public int touchRunning(String workerId) {
        return jdbc.sql("UPDATE tasks SET updated_at = now() WHERE status = 'running' AND worker_id = :workerId")
                .param("workerId", workerId)
                .update();
    }

    /** Workers that currently hold running tasks. */
    public List<String> workersWithRunningTasks() {
        return jdbc.sql("SELECT DISTINCT worker_id FROM tasks WHERE status = 'running' AND worker_id IS NOT NULL")
                .query(String.class)
                .list();
    }

    /**
     * Newest first, optionally only one status and/or type, created before {@code before}, and
     * only of the types in {@code reachableTypes} unless that is null.
     */
    public List<StoredTask> list(TaskStatus status, String type, Instant before, int limit,
            Collection<String> reachableTypes) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM tasks WHERE created_at < :before");
        if (status != null) {
            sql.append(" AND status = :status");
        }
        if (type != null) {
            sql.append(" AND type = :type");
        }
        if (reachableTypes != null) {
            sql.append(" AND type = ANY(:reachableTypes)");
        }
        sql.append(" ORDER BY created_at DESC LIMIT :limit");
        JdbcClient.StatementSpec statement = jdbc.sql(sql.toString())
                .param("before", Timestamp.from(before == null ? Instant.now().plusSeconds(1) : before))
                .param("limit", limit);
        if (status != null) {
            statement = statement.param("status", status.dbValue());
        }
        if (type != null) {
            statement = statement.param("type", type);
        }
        if (reachableTypes != null) {
            statement = statement.param("reachableTypes", reachableTypes.toArray(String[]::new));
        }
        return statement.query(ROW_MAPPER).list();
    }

    /** pending → cancelled; the trigger tells the scheduler to drop the timer. Empty unless pending. */
    public Optional<StoredTask> cancel(UUID id) {
        return jdbc.sql("""
                        UPDATE tasks SET status = 'cancelled', finished_at = now(), updated_at = now()
                         WHERE id = :id AND status = 'pending'
                        RETURNING %s""".formatted(COLUMNS))
                .param("id", id)
                .query(ROW_MAPPER)
                .optional();
    }

    /** Moves the due time of a pending task; the trigger replaces its timer. Empty unless pending. */
    public Optional<StoredTask> reschedule(UUID id, Instant runAt) {
        return jdbc.sql("""
                        UPDATE tasks SET run_at = :runAt, updated_at = now()
                         WHERE id = :id AND status = 'pending'
                        RETURNING %s""".formatted(COLUMNS))
                .param("id", id)
                .param("runAt", Timestamp.from(runAt))
                .query(ROW_MAPPER)
                .optional();
    }

    /**
     * The operators' stuck-task reset: running tasks not updated for {@code olderThan} go back to
     * pending at the same attempt (the trigger schedules them again).
     */
    public List<StoredTask> resetStuck(Duration olderThan) {
        return jdbc.sql("""
                        UPDATE tasks SET status = 'pending', worker_id = NULL, updated_at = now()
                         WHERE status = 'running' AND updated_at < now() - make_interval(secs => :seconds)
                        RETURNING %s""".formatted(COLUMNS))
                .param("seconds", olderThan.toMillis() / 1000.0)
                .query(ROW_MAPPER)
                .list();
    }

    /** The attempt history of a task, oldest first. */
    public List<TaskAttempt> findAttempts(UUID taskId) {
        return jdbc.sql("""
                        SELECT attempt, worker_id, started_at, finished_at, outcome, error
                          FROM task_attempts WHERE task_id = :taskId ORDER BY started_at, id""")
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
