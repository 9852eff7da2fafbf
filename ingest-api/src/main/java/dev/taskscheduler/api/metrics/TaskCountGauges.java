package dev.taskscheduler.api.metrics;

import dev.taskscheduler.model.TaskStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Task counts read from PostgreSQL when scraped: {@code tasks_by_status{status}},
 * {@code task_queue_size} (pending tasks that are due, i.e. waiting for a worker) and
 * {@code task_dlq_size} (dead-letter tasks).
 *
 * <p>All gauges come from one grouped query, cached for {@code taskCountsCacheTtl}, so a scrape
 * costs at most one query per period however many gauges or scrapers there are. When PostgreSQL
 * cannot be read the gauges are NaN rather than a stale number that looks current.
 */
class TaskCountGauges {

    private static final Logger log = LoggerFactory.getLogger(TaskCountGauges.class);

    private static final String COUNTS = """
            SELECT status, count(*) AS total,
                   count(*) FILTER (WHERE status = 'pending' AND run_at <= now()) AS due
              FROM tasks GROUP BY status""";

    private final JdbcClient db;
    private final Duration ttl;
    private final Clock clock;
    private Snapshot snapshot;

    TaskCountGauges(JdbcClient db, Duration ttl, Clock clock, MeterRegistry registry) {
        this.db = db;
        this.ttl = ttl;
        this.clock = clock;
        for (TaskStatus status : TaskStatus.values()) {
            Gauge.builder("tasks_by_status", this, gauges -> gauges.read().byStatus(status.dbValue()))
                    .description("Tasks by status")
                    .tag("status", status.dbValue())
                    .register(registry);
        }
        Gauge.builder("task_queue_size", this, gauges -> gauges.read().due())
                .description("Tasks that are due and not started yet (status pending, run_at <= now())")
                .register(registry);
        Gauge.builder("task_dlq_size", this, gauges -> gauges.read().byStatus(TaskStatus.DEAD_LETTER.dbValue()))
                .description("Tasks in the dead-letter state")
                .register(registry);
    }

    synchronized Snapshot read() {
        Instant now = clock.instant();
        if (snapshot == null || !now.isBefore(snapshot.readAt().plus(ttl))) {
            snapshot = query(now);
        }
        return snapshot;
    }

    private Snapshot query(Instant now) {
        try {
            Map<String, Long> byStatus = new HashMap<>();
            long[] due = {0};
            db.sql(COUNTS).query(rs -> {
                byStatus.put(rs.getString("status"), rs.getLong("total"));
                due[0] += rs.getLong("due");
            });
            return new Snapshot(now, Map.copyOf(byStatus), due[0]);
        } catch (DataAccessException e) {
            log.warn("Cannot count tasks for the task gauges: {}", e.getMessage());
            return new Snapshot(now, null, Double.NaN);
        }
    }

    /** One reading; {@code byStatus} is null when the reading failed. */
    record Snapshot(Instant readAt, Map<String, Long> byStatus, double due) {

        double byStatus(String status) {
            return byStatus == null ? Double.NaN : byStatus.getOrDefault(status, 0L);
        }
    }
}
