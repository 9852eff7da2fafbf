package dev.taskscheduler.api.console.overview;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.taskscheduler.api.console.ConsoleProperties;
import dev.taskscheduler.model.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The overview's figures from PostgreSQL: tasks by status, timers waiting, and attempts that ended in
 * each minute of the last hour, within the reader's reach. Each reading serves every open page
 * with the same reach for one refresh interval, so a wall of open consoles costs one query set
 * per interval.
 */
@Component
class OverviewQueries {

    static final int MINUTES = 60;

    private final JdbcClient jdbc;
    private final Cache<String, Overview> readings;

    OverviewQueries(JdbcClient jdbc, ConsoleProperties properties) {
        this.jdbc = jdbc;
        this.readings = Caffeine.newBuilder().expireAfterWrite(properties.refreshInterval()).maximumSize(1_000).build();
    }

    /** @param reachableTypes the reader's task types; null: every type */
    Overview read(Set<String> reachableTypes) {
        String key = reachableTypes == null ? "*" : String.join(",", new TreeSet<>(reachableTypes));
        return readings.get(key, any -> query(reachableTypes));
    }

    private Overview query(Set<String> reachableTypes) {
        String[] types = reachableTypes == null ? null : reachableTypes.toArray(String[]::new);
        String reach = types == null ? "" : " AND type = ANY(:types)";
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (TaskStatus status : TaskStatus.values()) {
            byStatus.put(status.dbValue(), 0L);
        }
        long[] waiting = {0};
        bind(jdbc.sql("""
                        SELECT status, count(*) AS total,
                               count(*) FILTER (WHERE status = 'pending' AND run_at > now()) AS waiting
                          FROM tasks WHERE true%s GROUP BY status""".formatted(reach)), types)
                .query(rs -> {
                    byStatus.put(rs.getString("status"), rs.getLong("total"));
                    waiting[0] += rs.getLong("waiting");
                });
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(MINUTES - 1));
        long[] succeeded = new long[MINUTES];
        long[] failed = new long[MINUTES];
        String attemptsReach = types == null ? "" : " AND EXISTS (SELECT 1 FROM tasks t WHERE t.id = a.task_id"
                + " AND t.type = ANY(:types))";
        bind(jdbc.sql("""
                        SELECT floor(extract(epoch FROM a.finished_at - :start::timestamptz) / 60)::int AS minute, a.outcome,
                               count(*) AS attempts
                          FROM task_attempts a
                         WHERE a.finished_at >= :start::timestamptz AND a.outcome IN ('succeeded', 'failed')%s
                         GROUP BY 1, 2""".formatted(attemptsReach)), types)
                .param("start", java.sql.Timestamp.from(start))
                .query(rs -> {
                    int minute = rs.getInt("minute");
                    if (minute >= 0 && minute < MINUTES) {
                        long[] series = "succeeded".equals(rs.getString("outcome")) ? succeeded : failed;
                        series[minute] += rs.getLong("attempts");
                    }
                });
        return new Overview(byStatus, waiting[0], start, succeeded, failed);
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement, String[] types) {
        return types == null ? statement : statement.param("types", types);
    }

    /**
     * @param byStatus      tasks per status, every status present
     * @param waitingTimers pending tasks whose due time is still ahead: the timers the scheduler holds
     * @param start         the first minute of the series
     * @param succeeded     attempts that succeeded, per minute from {@code start}
     * @param failed        attempts that failed, per minute from {@code start}
     */
    record Overview(Map<String, Long> byStatus, long waitingTimers, Instant start, long[] succeeded, long[] failed) {
    }
}
