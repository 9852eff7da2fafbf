package dev.taskscheduler.bench.scenario;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits for PostgreSQL's autovacuum to finish with the rows earlier work left behind. A step that
 * fails leaves thousands of rows to vacuum; a measurement that starts while autovacuum works on
 * them charges it to the next scenario, or to the step at half the highest rate.
 */
final class Autovacuum {

    private static final Duration POLL = Duration.ofSeconds(5);

    private Autovacuum() {
    }

    /** Waits, at most {@code timeout}, until no autovacuum worker is at work on the system's database. */
    static void awaitIdle(ScenarioContext context, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long vacuuming;
        while ((vacuuming = context.db().queryLong("SELECT count(*) FROM pg_stat_activity"
                + " WHERE backend_type = 'autovacuum worker' AND datname = current_database()")) > 0
                && System.nanoTime() < deadline) {
            context.progress().status("settling: %d autovacuum workers at work", vacuuming);
            TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
        }
    }
}
