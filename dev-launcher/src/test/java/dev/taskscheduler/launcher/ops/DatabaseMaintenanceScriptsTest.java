package dev.taskscheduler.launcher.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskscheduler.launcher.ops.OpsScript.Result;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The runbook's routine maintenance and backup procedures, run as {@code ops/scripts} processes
 * against a real PostgreSQL with the application's schema.
 */
@RealInfrastructure
class DatabaseMaintenanceScriptsTest {

    /** Every table of the schema, compared row by row after a restore. */
    private static final List<String> TABLES = List.of("tasks", "task_attempts", "task_status_transitions",
            "schedules", "dlq_replays", "outbox", "flyway_schema_history");

    private final Infrastructure infrastructure;
    private ScratchDatabase source;

    @TempDir
    Path backups;

    DatabaseMaintenanceScriptsTest(Infrastructure infrastructure) {
        this.infrastructure = infrastructure;
    }

    @BeforeEach
    void createDatabase() {
        source = ScratchDatabase.createWithSchema(infrastructure, "maintenance");
    }

    @AfterEach
    void dropDatabase() {
        source.close();
    }

    @Test
    void shouldVacuumAndAnalyzeTheTasksTable() {
        TaskRows.oneInEveryStatus(source.db());
        source.db().sql("DELETE FROM tasks WHERE status = 'cancelled'").update();
        assertThat(lastVacuumAndAnalyze()).containsExactly(null, null);

        Result result = script("db-maintenance.sh", "vacuum");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(lastVacuumAndAnalyze()).doesNotContainNull();
        assertThat(result.stdout()).contains("tasks");
    }

    @Test
    void shouldRebuildEveryIndexOfTheTasksTablePlainlyAndConcurrently() {
        TaskRows.oneInEveryStatus(source.db());
        Map<String, Long> original = indexFiles();
        assertThat(original).containsKeys("tasks_pkey", "tasks_created_at_idx", "tasks_idempotency_key_uq");

        Result plain = script("db-maintenance.sh", "reindex");
        assertThat(plain.exitCode()).as(plain.toString()).isZero();
        Map<String, Long> rebuilt = indexFiles();

        Result concurrently = script("db-maintenance.sh", "reindex", "--concurrently");
        assertThat(concurrently.exitCode()).as(concurrently.toString()).isZero();
        Map<String, Long> rebuiltAgain = indexFiles();

        // A rebuilt index is written to a new file; every index of the table was rebuilt, each time.
        assertThat(rebuilt.keySet()).isEqualTo(original.keySet());
        assertThat(rebuiltAgain.keySet()).isEqualTo(original.keySet());
        original.forEach((index, file) -> {
            assertThat(rebuilt.get(index)).as(index).isNotEqualTo(file);
            assertThat(rebuiltAgain.get(index)).as(index).isNotEqualTo(rebuilt.get(index));
        });
        assertThat(source.db().sql("SELECT bool_and(indisvalid) FROM pg_index WHERE indrelid = 'tasks'::regclass")
                .query(Boolean.class).single()).isTrue();
    }

    @Test
    void shouldRestoreABackupIntoAnEmptyDatabaseWithEveryRowTheSame() {
        TaskRows.oneInEveryStatus(source.db());
        TaskRows.scheduleAndReplayAudit(source.db());
        Path backup = backups.resolve("taskdb.sql.gz");

        Result dump = script("db-backup.sh", "--output", backup.toString());
        assertThat(dump.exitCode()).as(dump.toString()).isZero();
        assertThat(backup).isNotEmptyFile();
        assertThat(backups.resolve("taskdb.sql.gz.partial")).doesNotExist();

        try (ScratchDatabase target = ScratchDatabase.createEmpty(infrastructure, "restored")) {
            Result restore = OpsScript.of("db-restore.sh").postgres(target.login())
                    .run("--input", backup.toString());

            assertThat(restore.exitCode()).as(restore.toString()).isZero();
            for (String table : TABLES) {
                assertThat(rows(target.db(), table)).as(table).isEqualTo(rows(source.db(), table));
            }
            assertThat(sequences(target.db())).isEqualTo(sequences(source.db()));
            assertThat(rows(target.db(), "tasks")).contains("dead_letter", "succeeded", "running");
            // The triggers came back too: the restored database still guards the state machine.
            assertThatThrownBy(() -> target.db().sql("UPDATE tasks SET status = 'running' WHERE status = 'succeeded'")
                    .update()).hasMessageContaining("illegal task transition");
        }
    }

    @Test
    void shouldRefuseToRestoreIntoADatabaseThatHoldsTablesAndLeaveItAsItWas() {
        TaskRows.oneInEveryStatus(source.db());
        Path backup = backups.resolve("taskdb.sql");
        assertThat(script("db-backup.sh", "--output", backup.toString()).exitCode()).isZero();
        String before = rows(source.db(), "tasks");

        Result restore = script("db-restore.sh", "--input", backup.toString());

        assertThat(restore.exitCode()).as(restore.toString()).isEqualTo(4);
        assertThat(restore.stderr()).contains("is not empty");
        assertThat(rows(source.db(), "tasks")).isEqualTo(before);
    }

    @Test
    void shouldCreateTheTargetDatabaseWithCreateAndRefuseAnExistingOne() {
        TaskRows.oneInEveryStatus(source.db());
        Path backup = backups.resolve("taskdb.sql.gz");
        assertThat(script("db-backup.sh", "--output", backup.toString()).exitCode()).isZero();
        String created = source.name() + "_copy";
        try {
            Result restore = OpsScript.of("db-restore.sh").postgres(source.login().withDatabase(created))
                    .run("--input", backup.toString(), "--create");
            Result again = OpsScript.of("db-restore.sh").postgres(source.login().withDatabase(created))
                    .run("--input", backup.toString(), "--create");

            assertThat(restore.exitCode()).as(restore.toString()).isZero();
            assertThat(rows(JdbcClient.create(ScratchDatabase.dataSource(source.login().withDatabase(created))),
                    "tasks")).isEqualTo(rows(source.db(), "tasks"));
            assertThat(again.exitCode()).as(again.toString()).isEqualTo(4);
            assertThat(again.stderr()).contains("exists already");
        } finally {
            source.db().sql("DROP DATABASE IF EXISTS " + created + " WITH (FORCE)").update();
        }
    }

    @Test
    void shouldSayWhatIsWrongWithDistinctExitCodes() {
        Result usage = script("db-maintenance.sh", "defragment");
        Result wrongPassword = OpsScript.of("db-maintenance.sh")
                .postgres(source.login().withUser(source.login().user(), "not-the-password")).run("vacuum");
        Result missingBackup = script("db-restore.sh", "--input", backups.resolve("none.sql").toString());
        Result help = script("db-backup.sh", "--help");

        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.stderr()).contains("unknown argument 'defragment'");
        assertThat(wrongPassword.exitCode()).isEqualTo(1);
        assertThat(wrongPassword.stderr()).contains("password authentication failed");
        assertThat(missingBackup.exitCode()).isEqualTo(3);
        assertThat(missingBackup.stderr()).contains("cannot read the backup");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).startsWith("Usage: db-backup.sh").contains("Exit codes:");
    }

    private Result script(String name, String... args) {
        return OpsScript.of(name).postgres(source.login()).run(args);
    }

    private List<Object> lastVacuumAndAnalyze() {
        Map<String, Object> row = source.db()
                .sql("SELECT last_vacuum, last_analyze FROM pg_stat_user_tables WHERE relname = 'tasks'")
                .query().singleRow();
        return java.util.Arrays.asList(row.get("last_vacuum"), row.get("last_analyze"));
    }

    private Map<String, Long> indexFiles() {
        Map<String, Long> files = new LinkedHashMap<>();
        source.db().sql("""
                        SELECT indexrelid::regclass::text AS name, pg_relation_filenode(indexrelid) AS file
                          FROM pg_index WHERE indrelid = 'tasks'::regclass""")
                .query((rs, n) -> files.put(rs.getString("name"), rs.getLong("file"))).list();
        return files;
    }

    /** Every row of a table as JSON, in a stable order. */
    private static String rows(JdbcClient db, String table) {
        return db.sql("SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY to_jsonb(t)::text), '[]')::text FROM "
                + table + " t").query(String.class).single();
    }

    private static List<String> sequences(JdbcClient db) {
        return db.sql("SELECT sequencename || '=' || coalesce(last_value, 0) FROM pg_sequences ORDER BY 1")
                .query(String.class).list();
    }
}
