package dev.taskscheduler.bench.measure;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.taskscheduler.bench.system.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;

/**
 * The execution guarantees, checked on the rows of the tasks a scenario ran: each accepted task
 * succeeded exactly once (one {@code succeeded} row in {@code task_attempts}) and none started
 * before it was due ({@code started_at >= run_at}, on the task and on the attempt of its current
 * {@code retry_count}, the attempt that {@code run_at} is the due time of).
 */
public final class TaskChecks {

    /**
     * @param accepted      tasks the system accepted (answered 202, or acknowledged on the topic)
     * @param succeeded     of those, tasks in status succeeded with exactly one successful attempt
     * @param duplicates    tasks with more than one successful attempt
     * @param early         tasks whose handler started before their run_at
     * @param unfinished    accepted tasks not in status succeeded (or without a row) when checked
     * @param inconsistent  tasks in status succeeded without a successful attempt
     * @param expectComplete whether every task should have finished by then (a sustained step, a
     *                      drained burst): unfinished tasks are then a violation, not just slowness
     */
    public record Result(String label, long accepted, long succeeded, long duplicates, long early, long unfinished,
            long inconsistent, boolean expectComplete) {

        @JsonProperty("violated") // in results.json beside the counts
        public boolean violated() {
            return duplicates > 0 || early > 0 || inconsistent > 0 || (expectComplete && unfinished > 0);
        }

        public String describe() {
            return String.format("%s: %,d accepted, %,d succeeded once, %,d duplicates, %,d early, %,d unfinished%s%s",
                    label, accepted, succeeded, duplicates, early, unfinished,
                    inconsistent > 0 ? ", " + inconsistent + " succeeded without a successful attempt" : "",
                    violated() ? " -- VIOLATED" : "");
        }
    }

    private TaskChecks() {
    }

    public static Result check(Database db, TaskLookup lookup, Collection<String> handles, String label,
            boolean expectComplete) {
        String sql = """
                SELECT count(*) FILTER (WHERE t.status = 'succeeded'),
                       count(*) FILTER (WHERE t.status = 'succeeded' AND a.ok = 1),
                       count(*) FILTER (WHERE a.ok > 1),
                       count(*) FILTER (WHERE t.started_at < t.run_at OR a.early),
                       count(*) FILTER (WHERE t.status = 'succeeded' AND a.ok = 0)
                  FROM tasks t
                  CROSS JOIN LATERAL (
                        SELECT count(*) FILTER (WHERE outcome = 'succeeded') AS ok,
                               coalesce(bool_or(started_at < t.run_at AND attempt = t.retry_count), false) AS early
                          FROM task_attempts
                         WHERE task_id = t.id) a
                 WHERE\s""" + lookup.matchAny("t");
        try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", handles.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                long accepted = handles.size();
                return new Result(label, accepted, rows.getLong(2), rows.getLong(3), rows.getLong(4),
                        accepted - rows.getLong(1), rows.getLong(5), expectComplete);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot check the tasks of " + label, e);
        }
    }
}
