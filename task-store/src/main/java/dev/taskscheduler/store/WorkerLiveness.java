package dev.taskscheduler.store;

import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.WorkerCapacity;
import java.time.Duration;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which workers are alive, as PostgreSQL sees it: each worker stamps its row in
 * {@code worker_heartbeats} with the database's clock on every heartbeat. Unlike the Redis key
 * beside it, this survives a Redis restart or flush and ignores the worker host's clock.
 */
public class WorkerLiveness {

    private final JdbcClient jdbc;

    public WorkerLiveness(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** This worker is alive now. */
    public void beat(String workerId) {
        beat(workerId, null);
    }

    /**
     * This worker is alive now, and this is what it reports about itself for operators.
     *
     * @param capacity its handler pools and limits; null keeps what it reported before
     */
    public void beat(String workerId, WorkerCapacity capacity) {
        jdbc.sql("""
                        INSERT INTO worker_heartbeats (worker_id, capacity) VALUES (:workerId, :capacity::jsonb)
                        ON CONFLICT (worker_id)
                        DO UPDATE SET seen_at = now(), capacity = coalesce(excluded.capacity, worker_heartbeats.capacity)""")
                .param("workerId", workerId)
                .param("capacity", capacity == null ? null : Json.write(capacity))
                .update();
    }

    /** This worker stopped cleanly. */
    public void forget(String workerId) {
        jdbc.sql("DELETE FROM worker_heartbeats WHERE worker_id = :workerId").param("workerId", workerId).update();
    }

    /** Workers holding running tasks whose heartbeat row is missing or older than {@code ttl}. */
    public List<String> silentWorkersWithRunningTasks(Duration ttl) {
        return jdbc.sql("""
                        SELECT DISTINCT t.worker_id FROM tasks t
                         WHERE t.status = 'running' AND t.worker_id IS NOT NULL
                           AND NOT EXISTS (SELECT 1 FROM worker_heartbeats h
                                            WHERE h.worker_id = t.worker_id
                                              AND h.seen_at > now() - make_interval(secs => :ttlSeconds))""")
                .param("ttlSeconds", ttl.toMillis() / 1000.0)
                .query(String.class)
                .list();
    }

    /**
     * Workers alive within {@code ttl}, for operators: id, when it started, when it was last seen,
     * what it last reported about its pools and limits.
     */
    public List<LiveWorker> alive(Duration ttl) {
        return jdbc.sql("""
                        SELECT worker_id, started_at, seen_at, capacity::text AS capacity FROM worker_heartbeats
                         WHERE seen_at > now() - make_interval(secs => :ttlSeconds) ORDER BY worker_id""")
                .param("ttlSeconds", ttl.toMillis() / 1000.0)
                .query((rs, row) -> new LiveWorker(rs.getString("worker_id"),
                        rs.getTimestamp("started_at").toInstant(), rs.getTimestamp("seen_at").toInstant(),
                        capacityOf(rs.getString("capacity"))))
                .list();
    }

    /** Drops the rows of workers gone for longer than {@code age} (they stopped without saying so). */
    public int forgetOlderThan(Duration age) {
        return jdbc.sql("DELETE FROM worker_heartbeats WHERE seen_at < now() - make_interval(secs => :ageSeconds)")
                .param("ageSeconds", age.toMillis() / 1000.0)
                .update();
    }

    private static WorkerCapacity capacityOf(String json) {
        return json == null ? new WorkerCapacity(null, null) : Json.read(json, WorkerCapacity.class);
    }

    /** @param capacity what the worker last reported about its pools and limits (empty if nothing) */
    public record LiveWorker(String workerId, java.time.Instant startedAt, java.time.Instant seenAt,
            WorkerCapacity capacity) {
    }
}
