package dev.taskscheduler.api.console.workers;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The running tasks of live workers, and how many tasks of each limited type run now. */
@Component
class WorkerQueries {

    /** Most running tasks the page lists. */
    static final int MAX_RUNNING = 500;

    private final JdbcClient jdbc;

    WorkerQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Running tasks of these workers, oldest first, of the reachable types (null: every type). */
    List<RunningTask> running(Collection<String> workerIds, Set<String> reachableTypes) {
        if (workerIds.isEmpty()) {
            return List.of();
        }
        String reach = reachableTypes == null ? "" : " AND type = ANY(:types)";
        JdbcClient.StatementSpec statement = jdbc.sql("""
                        SELECT id, type, priority, worker_id, started_at, retry_count FROM tasks
                         WHERE status = 'running' AND worker_id = ANY(:workers)%s
                         ORDER BY started_at, id LIMIT :limit""".formatted(reach))
                .param("workers", workerIds.toArray(String[]::new))
                .param("limit", MAX_RUNNING);
        if (reachableTypes != null) {
            statement = statement.param("types", reachableTypes.toArray(String[]::new));
        }
        return statement.query((rs, row) -> new RunningTask(rs.getObject("id", UUID.class), rs.getString("type"),
                        rs.getString("priority"), rs.getString("worker_id"), rs.getTimestamp("started_at").toInstant(),
                        rs.getInt("retry_count")))
                .list();
    }

    /** Tasks running now per type, for these types. */
    Map<String, Long> runningByType(Collection<String> types) {
        Map<String, Long> counts = new HashMap<>();
        if (types.isEmpty()) {
            return counts;
        }
        jdbc.sql("SELECT type, count(*) AS running FROM tasks WHERE status = 'running' AND type = ANY(:types) GROUP BY type")
                .param("types", types.toArray(String[]::new))
                .query(rs -> {
                    counts.put(rs.getString("type"), rs.getLong("running"));
                });
        return counts;
    }

    /** @param attempt the task's retry count: 0 on its first attempt */
    record RunningTask(UUID id, String type, String priority, String workerId, Instant startedAt, int attempt) {
    }
}
