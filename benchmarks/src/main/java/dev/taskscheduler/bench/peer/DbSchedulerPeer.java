package dev.taskscheduler.bench.peer;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.taskscheduler.bench.cost.CostMeter;
import dev.taskscheduler.bench.cost.CostSample;
import dev.taskscheduler.bench.scenario.ScenarioContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peer: db-scheduler, a scheduler that polls PostgreSQL, draining instant noop tasks in this
 * JVM against a database of its own on the system's PostgreSQL server. The tasks are stored before
 * the scheduler starts (rows as db-scheduler's client writes them); the scheduler then claims them
 * with its lock-and-fetch strategy ({@code UPDATE … FOR UPDATE SKIP LOCKED … RETURNING}), runs the
 * no-op handler and deletes each row, as it completes a one-time task.
 */
public final class DbSchedulerPeer {

    /** The peer's figure among the baselines: its best executions per second. */
    public static final String ID = "db-scheduler";

    static final String DATABASE = "peer_dbscheduler";
    private static final String TASK = "noop";

    /** One drain at one thread count. */
    public record Trial(int threads, long tasks, long executed, double startupSeconds, double drainSeconds,
            boolean complete, CostSample cost) {

        /** Executions per second from the first handler start until the table was empty. */
        public double executionsPerSecond() {
            return executed / drainSeconds;
        }
    }

    private final ScenarioContext context;

    public DbSchedulerPeer(ScenarioContext context) {
        this.context = context;
    }

    /** The version of db-scheduler on the class path, from its jar. */
    public static String version() {
        try (InputStream in = Scheduler.class.getResourceAsStream(
                "/META-INF/maven/com.github.kagkarlsson/db-scheduler/pom.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    public void createDatabase() throws SQLException, IOException {
        context.db().recreateDatabase(DATABASE);
        String ddl;
        try (InputStream in = DbSchedulerPeer.class.getResourceAsStream("/peer/db-scheduler-postgresql.sql")) {
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(ddl);
        }
    }

    public void dropDatabase() throws SQLException {
        context.db().dropDatabase(DATABASE);
    }

    /** Stores {@code tasks} instant noop tasks, then lets db-scheduler with {@code threads} threads drain them. */
    public Trial drain(int threads, int tasks, Duration timeout) throws SQLException, InterruptedException {
        store(tasks);
        AtomicLong executed = new AtomicLong();
        AtomicLong firstStart = new AtomicLong();
        OneTimeTask<Void> noop = Tasks.oneTime(TASK).execute((instance, executionContext) -> {
            firstStart.compareAndSet(0, System.nanoTime());
            executed.incrementAndGet();
        });
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(context.db().endpoints().jdbcUrlOf(DATABASE));
        pool.setUsername(context.db().endpoints().dbUser());
        pool.setPassword(context.db().endpoints().dbPassword());
        pool.setMaximumPoolSize(threads + 2); // every executing thread completes on a connection, plus the poller
        pool.setPoolName("peer-db-scheduler");
        CostMeter.Span cost = context.cost().start();
        long started;
        long emptied = 0;
        try (HikariDataSource dataSource = new HikariDataSource(pool)) {
            Scheduler scheduler = Scheduler.create(dataSource, noop)
                    .threads(threads)
                    .pollUsingLockAndFetch(0.5, 1.0)
                    .pollingInterval(Duration.ofSeconds(1))
                    .schedulerName(new SchedulerName.Fixed("benchmark-peer"))
                    .shutdownMaxWait(Duration.ofSeconds(5))
                    .build();
            started = System.nanoTime();
            scheduler.start();
            try {
                long deadline = started + timeout.toNanos();
                // Counted in this JVM while handlers run; the table is asked only at the end, for the last deletes.
                while (System.nanoTime() < deadline) {
                    if (executed.get() >= tasks && remaining() == 0) {
                        emptied = System.nanoTime();
                        break;
                    }
                    TimeUnit.MILLISECONDS.sleep(executed.get() >= tasks ? 10 : 50);
                }
            } finally {
                scheduler.stop();
            }
        }
        long end = emptied > 0 ? emptied : System.nanoTime();
        long first = firstStart.get() > 0 ? firstStart.get() : end;
        CostSample spent = cost.stop(threads + " threads", executed.get());
        return new Trial(threads, tasks, executed.get(), (first - started) / 1e9, Math.max(1e-3, (end - first) / 1e9),
                emptied > 0, spent);
    }

    private void store(int tasks) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE scheduled_tasks");
            statement.execute("""
                    INSERT INTO scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version)
                    SELECT '%s', 'task-' || g, NULL, now(), false, 1 FROM generate_series(1, %d) g"""
                    .formatted(TASK, tasks));
            statement.execute("VACUUM ANALYZE scheduled_tasks");
        }
    }

    private long remaining() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT count(*) FROM scheduled_tasks")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(context.db().endpoints().jdbcUrlOf(DATABASE),
                context.db().endpoints().dbUser(), context.db().endpoints().dbPassword());
    }
}
