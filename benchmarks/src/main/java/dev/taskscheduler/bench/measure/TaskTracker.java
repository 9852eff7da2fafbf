package dev.taskscheduler.bench.measure;

import dev.taskscheduler.bench.system.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows submitted tasks until they succeed, asking PostgreSQL only about tasks not yet seen
 * succeeded and, in one look, about at most {@value #SAMPLE} of them: the benchmark's own lookups
 * run on the system's PostgreSQL, and a look at every open task of a step that falls behind would
 * grow with the very backlog it measures.
 */
public final class TaskTracker {

    /** Most open tasks asked about in one look (while waiting for all, until those have succeeded). */
    private static final int SAMPLE = 1_000;

    private final Database db;
    private final TaskLookup lookup;
    private final Set<String> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();

    public TaskTracker(Database db, TaskLookup lookup) {
        this.db = db;
        this.lookup = lookup;
    }

    /** A task the system accepted, from now on followed. */
    public void accepted(String handle) {
        open.add(handle);
        accepted.incrementAndGet();
    }

    /** Tasks accepted so far. */
    public long acceptedSoFar() {
        return accepted.get();
    }

    /**
     * Asks which of the open tasks have succeeded since and returns how many are still open: exactly
     * when at most {@value #SAMPLE} are, else estimated from a random sample of {@value #SAMPLE}, the
     * share of it still open times all the open ones (a standard error of at most 1.6 % of them).
     */
    public long refresh() {
        List<String> all = List.copyOf(open);
        if (all.size() <= SAMPLE) {
            ask(all);
            return open.size();
        }
        List<String> sample = randomSample(all);
        ask(sample);
        long stillOpen = sample.stream().filter(open::contains).count();
        return Math.round((double) stillOpen * all.size() / SAMPLE);
    }

    /** {@value #SAMPLE} of {@code all}, each equally likely: the first steps of a Fisher-Yates shuffle. */
    private static List<String> randomSample(List<String> all) {
        List<String> shuffled = new ArrayList<>(all);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < SAMPLE; i++) {
            Collections.swap(shuffled, i, i + random.nextInt(shuffled.size() - i));
        }
        return shuffled.subList(0, SAMPLE);
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
                    open.remove(rows.getString(1));
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
