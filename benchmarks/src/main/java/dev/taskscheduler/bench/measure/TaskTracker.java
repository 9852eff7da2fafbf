package dev.taskscheduler.bench.measure;

import dev.taskscheduler.bench.system.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows submitted tasks until they succeed. Each {@link #refresh()} asks PostgreSQL only about
 * the tasks not yet seen succeeded, so one look costs as much as the backlog, not as the step.
 */
public final class TaskTracker {

    /** Most open tasks asked about in one look while waiting for all, until those have succeeded. */
    private static final int SAMPLE = 1_000;

    private final Database db;
    private final TaskLookup lookup;
    private final Set<String> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong succeeded = new AtomicLong();

    public TaskTracker(Database db, TaskLookup lookup) {
        this.db = db;
        this.lookup = lookup;
    }

    /** A task the system accepted, from now on followed. */
    public void accepted(String handle) {
        open.add(handle);
    }

    /** Tasks seen succeeded so far. */
    public long succeeded() {
        return succeeded.get();
    }

    /** Asks which of the open tasks have succeeded since; returns how many are still open. */
    public long refresh() {
        ask(List.copyOf(open));
        return open.size();
    }

    private synchronized void ask(List<String> asked) {
        if (asked.isEmpty()) {
            return;
        }
        try (Connection connection = db.connect(); PreparedStatement statement = connection.prepareStatement(
                "SELECT " + lookup.handle("t") + " FROM tasks t WHERE " + lookup.matchAny("t")
                        + " AND t.status = 'succeeded'")) {
            statement.setArray(1, connection.createArrayOf("text", asked.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (open.remove(rows.getString(1))) {
                        succeeded.incrementAndGet();
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read which tasks succeeded", e);
        }
    }

    /**
     * Waits until every accepted task succeeded, looking every 250 ms, at most {@code timeout}.
     *
     * @return how many had not succeeded when it stopped waiting
     */
    public long awaitAllSucceeded(Duration timeout) throws InterruptedException {
        return awaitAllSucceeded(timeout, Duration.ofMillis(250));
    }

    /**
     * As {@link #awaitAllSucceeded(Duration)}, looking every {@code interval}. Each look asks about
     * {@value #SAMPLE} of the open tasks, and about all of them only once those have succeeded: a
     * burst of 100,000 would otherwise cost the system's PostgreSQL 100,000 lookups a look.
     */
    public long awaitAllSucceeded(Duration timeout, Duration interval) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> sample = open.stream().limit(SAMPLE).toList();
            ask(sample);
            if (sample.size() == SAMPLE && sample.stream().noneMatch(open::contains)) {
                ask(List.copyOf(open));
            }
            long left = open.size();
            if (left == 0 || System.nanoTime() > deadline) {
                return left;
            }
            TimeUnit.NANOSECONDS.sleep(interval.toNanos());
        }
    }
}
