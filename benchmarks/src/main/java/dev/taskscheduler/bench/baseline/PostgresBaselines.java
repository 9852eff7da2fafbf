package dev.taskscheduler.bench.baseline;

import dev.taskscheduler.bench.Progress;
import dev.taskscheduler.bench.report.BaselineResult;
import dev.taskscheduler.bench.system.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;

/**
 * What PostgreSQL on this machine sustains for the three transactions every task needs: the
 * ingest insert (with the outbox trigger), the worker's claim and its completion. They run with
 * pgbench on a database of their own on the same server, migrated by the project's own Flyway
 * scripts, so the schema, indexes and triggers are the real ones and no service sees the rows.
 */
public final class PostgresBaselines {

    public static final String INSERT = "pg-insert";
    public static final String CLAIM = "pg-claim";
    public static final String COMPLETE = "pg-complete";
    /** The three transactions of one task, back to back: 1 / (1/insert + 1/(claim + complete)). */
    public static final String TASK = "pg-task";
    public static final String INSERT_BATCH = "pg-insert-batch";
    public static final String CLAIM_BATCH = "pg-claim-batch";
    public static final String COMPLETE_BATCH = "pg-complete-batch";
    /** The same three with 100 tasks per statement and transaction: the limit a batched design approaches. */
    public static final String TASK_BATCH = "pg-task-batch";

    /** Tasks per transaction of the batched baselines (the scripts' generate_series(…, 100)). */
    static final int BATCH = 100;
    /** Seeded rows for the batched claims are capped, to keep seeding short; the runs may then be shorter. */
    private static final int MAX_BATCH_SEED = 400_000;

    private static final String DATABASE = "task_baseline";

    private final Database database;
    private final String pgbench;
    private final Path workDir;
    private final Progress progress;

    public PostgresBaselines(Database database, String pgbench, Path workDir, Progress progress) {
        this.database = database;
        this.pgbench = pgbench;
        this.workDir = workDir;
        this.progress = progress;
    }

    public List<BaselineResult> run(int clients, Duration duration) throws Exception {
        if (!Pgbench.available(pgbench)) {
            progress.status("pgbench not found (%s): PostgreSQL baselines skipped. On Debian: apt-get install "
                    + "postgresql-client", pgbench);
            return List.of();
        }
        createDatabase();
        Pgbench bench = new Pgbench(pgbench, database.endpoints(), DATABASE, workDir);
        String detail = "pgbench, " + clients + " clients, prepared statements, database " + DATABASE
                + " with the project's migrations on the system's PostgreSQL";
        List<BaselineResult> results = new ArrayList<>();

        double insert = bench.run("ingest-insert.sql", clients, List.of("-T", Long.toString(duration.toSeconds())));
        progress.status("pgbench ingest insert: %.0f tps", insert);
        results.add(new BaselineResult(INSERT, "PostgreSQL: ingest insert of task + outbox", insert, "tx/s",
                detail + ", " + duration.toSeconds() + " s"));

        // Claims and completions walk seeded rows, enough for about the same duration.
        int perClient = (int) Math.max(200, Math.min(200_000, insert * duration.toSeconds() / clients));
        seedPending(clients, perClient);
        List<String> limit = List.of("-t", Integer.toString(perClient));
        double claim = bench.run("worker-claim.sql", clients, limit);
        long claimed = count("running");
        progress.status("pgbench worker claim: %.0f tps (%d of %d rows claimed)", claim, claimed,
                (long) clients * perClient);
        results.add(new BaselineResult(CLAIM, "PostgreSQL: worker claim (pending → running)", claim, "tx/s",
                detail + ", " + perClient + " transactions per client; " + claimed + " rows claimed"));
        // A fresh set of pending rows for the claim-and-complete pairs.
        seedPending(clients, perClient);
        double pairs = bench.run("worker-complete.sql", clients, limit);
        progress.status("pgbench worker claim + completion: %.0f pairs/s", pairs);
        results.add(new BaselineResult(COMPLETE, "PostgreSQL: worker claim + completion (two commits)", pairs,
                "tasks/s", detail + ", " + perClient + " tasks per client"));

        double task = 1 / (1 / insert + 1 / pairs);
        results.add(new BaselineResult(TASK, "PostgreSQL: the three transactions of one task", task, "tasks/s",
                "1 / (1/insert + 1/(claim + completion)): the task rate if PostgreSQL did nothing else"));
        results.addAll(runBatched(bench, clients, duration, detail));
        return results;
    }

    /** The same SQL with 100 tasks per statement and per transaction, reported in tasks/s. */
    private List<BaselineResult> runBatched(Pgbench bench, int clients, Duration duration, String detail)
            throws Exception {
        List<BaselineResult> results = new ArrayList<>();
        String batched = detail + ", " + BATCH + " tasks per statement and transaction";
        double insert = BATCH * bench.run("ingest-insert-batch.sql", clients,
                List.of("-T", Long.toString(duration.toSeconds())));
        progress.status("pgbench ingest insert, %d per transaction: %.0f tasks/s", BATCH, insert);
        results.add(new BaselineResult(INSERT_BATCH, "PostgreSQL: ingest insert, " + BATCH + " tasks per transaction",
                insert, "tasks/s", batched + ", " + duration.toSeconds() + " s"));

        int perClient = BATCH * (int) Math.max(2, Math.min(MAX_BATCH_SEED / clients,
                insert * duration.toSeconds() / clients) / BATCH);
        List<String> limit = List.of("-t", Integer.toString(perClient / BATCH));
        seedPending(clients, perClient);
        double claim = BATCH * bench.run("worker-claim-batch.sql", clients, limit);
        long claimed = count("running");
        progress.status("pgbench worker claim, %d per transaction: %.0f tasks/s (%d of %d rows claimed)", BATCH, claim,
                claimed, (long) clients * perClient);
        results.add(new BaselineResult(CLAIM_BATCH, "PostgreSQL: worker claim, " + BATCH + " tasks per transaction",
                claim, "tasks/s", batched + ", " + perClient + " tasks per client; " + claimed + " rows claimed"));
        seedPending(clients, perClient);
        double pairs = BATCH * bench.run("worker-complete-batch.sql", clients, limit);
        progress.status("pgbench worker claim + completion, %d per transaction: %.0f tasks/s", BATCH, pairs);
        results.add(new BaselineResult(COMPLETE_BATCH, "PostgreSQL: worker claim + completion, " + BATCH
                + " tasks per transaction", pairs, "tasks/s", batched + ", " + perClient + " tasks per client"));

        double task = 1 / (1 / insert + 1 / pairs);
        results.add(new BaselineResult(TASK_BATCH, "PostgreSQL: the three transactions, " + BATCH + " tasks each",
                task, "tasks/s", "1 / (1/insert-batch + 1/complete-batch): the limit of a design that batches "
                        + "every stage by " + BATCH));
        return results;
    }

    private void createDatabase() throws SQLException {
        database.recreateDatabase(DATABASE);
        Flyway.configure()
                .dataSource(database.endpoints().jdbcUrlOf(DATABASE), database.endpoints().dbUser(),
                        database.endpoints().dbPassword())
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    /** Rows the claim script finds: ids built from (client, k) the same way the scripts build them. */
    private void seedPending(int clients, int perClient) throws SQLException {
        try (Connection connection = database.connectAsSuperuser(DATABASE);
                Statement statement = connection.createStatement()) {
            statement.execute("SET session_replication_role = replica"); // no outbox events for the seed
            // With triggers off, foreign keys do not cascade either: empty both tables.
            statement.execute("TRUNCATE task_attempts, tasks");
            statement.execute("""
                    INSERT INTO tasks (id, type, status, run_at)
                    SELECT lpad(to_hex(c * 10000000 + k), 32, '0')::uuid, 'noop', 'pending', now()
                      FROM generate_series(0, %d) c, generate_series(1, %d) k""".formatted(clients - 1, perClient));
            statement.execute("VACUUM ANALYZE tasks");
        }
    }

    private long count(String status) throws SQLException {
        try (Connection connection = database.connectAsSuperuser(DATABASE);
                Statement statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT count(*) FROM tasks WHERE status = '" + status + "'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Drops the baseline database so it takes no room while the scenarios run. */
    public void dropDatabase() throws SQLException {
        database.dropDatabase(DATABASE);
    }
}
