package dev.taskscheduler.bench.measure;

import dev.taskscheduler.bench.system.Database;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * When tasks started and finished, read from their rows: {@code started_at} is set by the
 * worker's claim right before the handler runs, {@code finished_at} by its completion. Reading
 * them once at the end keeps the benchmark from polling the database it measures.
 */
public final class TaskTimes {

    /** One task's row times; started/finished are null while it has not got there. */
    public record Row(UUID id, Instant runAt, Instant startedAt, Instant finishedAt) {
    }

    private final Database db;

    public TaskTimes(Database db) {
        this.db = db;
    }

    public List<Row> read(Collection<UUID> ids) {
        List<Row> rows = new ArrayList<>(ids.size());
        try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(
                "SELECT id, run_at, started_at, finished_at FROM tasks WHERE id = ANY(?)")) {
            statement.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(new Row(result.getObject(1, UUID.class), instant(result.getTimestamp(2)),
                            instant(result.getTimestamp(3)), instant(result.getTimestamp(4))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read task times", e);
        }
        return rows;
    }

    /**
     * Waits until every task succeeded (or {@code timeout} passed).
     *
     * @return how many had not succeeded when it stopped waiting
     */
    public long awaitSucceeded(Collection<UUID> ids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long open = notSucceeded(ids);
            if (open == 0 || System.nanoTime() > deadline) {
                return open;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    private long notSucceeded(Collection<UUID> ids) {
        try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(
                "SELECT count(*) FROM tasks WHERE id = ANY(?) AND status <> 'succeeded'")) {
            Array array = connection.createArrayOf("uuid", ids.toArray());
            statement.setArray(1, array);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot count unfinished tasks", e);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
