package dev.taskscheduler.bench.measure;

import dev.taskscheduler.bench.system.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * When tasks started and finished, read from their rows: {@code started_at} is set by the
 * worker's claim right before the handler runs, {@code finished_at} by its completion. Read once,
 * when a step is over.
 */
public final class TaskTimes {

    /** One task's row times; started/finished are null while it has not got there. */
    public record Row(String handle, Instant runAt, Instant startedAt, Instant finishedAt) {
    }

    private final Database db;
    private final TaskLookup lookup;

    public TaskTimes(Database db, TaskLookup lookup) {
        this.db = db;
        this.lookup = lookup;
    }

    public List<Row> read(Collection<String> handles) {
        List<Row> rows = new ArrayList<>(handles.size());
        try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(
                "SELECT " + lookup.handle("t") + ", t.run_at, t.started_at, t.finished_at FROM tasks t WHERE "
                        + lookup.matchAny("t"))) {
            statement.setArray(1, connection.createArrayOf("text", handles.toArray()));
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(new Row(result.getString(1), instant(result.getTimestamp(2)),
                            instant(result.getTimestamp(3)), instant(result.getTimestamp(4))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read task times", e);
        }
        return rows;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
