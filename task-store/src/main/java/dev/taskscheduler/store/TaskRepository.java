package dev.taskscheduler.store;

import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.model.submission.ValidSubmission;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
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

    private static final String COLUMNS = """
            id, type, payload::text AS payload, status, run_at, retry_count, max_retries, worker_id,
            created_at, updated_at, started_at, finished_at, last_error, result::text AS result,
            idempotency_key, request_fingerprint""";

    /** Matches only while the caller still holds the claim on this attempt. */
    private static final String HELD_BY_CLAIMANT =
            "WHERE id = :id AND status = 'running' AND retry_count = :attempt AND worker_id = :workerId RETURNING "
                    + COLUMNS;

    private static final RowMapper<StoredTask> ROW_MAPPER = TaskRepository::mapRow;

    private final JdbcClient jdbc;

    public TaskRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts a new pending task. Returns empty when another task already holds the same
     * idempotency key (the caller then looks that one up).
     */
    public Optional<StoredTask> insertPending(UUID id, ValidSubmission submission) {
        return jdbc.sql("""
                        INSERT INTO tasks (id, type, payload, status, run_at, max_retries,
                                           idempotency_key, request_fingerprint)
                        VALUES (:id, :type, :payload::jsonb, 'pending', :runAt, :maxRetries,
                                :idempotencyKey, :fingerprint)
                        ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                        RETURNING %s""".formatted(COLUMNS))
                .param("id", id)
                .param("type", submission.type())
                .param("payload", submission.payloadJson())
                .param("runAt", Timestamp.from(submission.runAt()))
                .param("maxRetries", submission.maxRetries())
                .param("idempotencyKey", submission.idempotencyKey())
                .param("fingerprint", submission.fingerprint())
                .query(ROW_MAPPER)
                .optional();
    }

    public Optional<StoredTask> findById(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tasks WHERE id = :id")
                .param("id", id)
                .query(ROW_MAPPER)
                .optional();
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
                rs.getString("request_fingerprint"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
