package dev.taskscheduler.launcher.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.launcher.ops.OpsScript.Result;
import dev.taskscheduler.localinfra.LocalPostgres;
import dev.taskscheduler.localinfra.WalArchive;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * pitr-backup.sh, pitr-restore.sh and after-restore.sh as processes, on a PostgreSQL cluster that archives its WAL
 * through pgBackRest (and the shared test server for after-restore.sh): what they do, and what they refuse. The whole
 * restore is {@link PointInTimeRestoreTest}.
 */
@RealInfrastructure
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PointInTimeScriptsTest {

    @TempDir
    static Path work;

    private static WalArchive archive;
    private static LocalPostgres postgres;

    @BeforeAll
    static void startAnArchivingServer() {
        archive = new WalArchive(work.resolve("archive"), "scripts", Duration.ofSeconds(10));
        postgres = LocalPostgres.start(work.resolve("data"), 0, archive);
    }

    @AfterAll
    static void stopTheServer() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void shouldTakeAFullBackupAndSkipTheNextWhileTheNewestIsYoungerThanAsked() {
        Result full = pgBackRestScript("pitr-backup.sh").run();
        Result skipped = pgBackRestScript("pitr-backup.sh").run("--if-older-than", "1h");
        Result incremental = pgBackRestScript("pitr-backup.sh").run("--type", "incr", "--if-older-than", "0s");

        assertThat(full.exitCode()).as(full.toString()).isZero();
        assertThat(full.stdout()).contains("status: ok").containsOnlyOnce("full backup:");
        assertThat(skipped.exitCode()).as(skipped.toString()).isZero();
        assertThat(skipped.stderr()).contains("less than 1h ago: no backup taken");
        assertThat(incremental.exitCode()).as(incremental.toString()).isZero();
        assertThat(incremental.stdout()).containsOnlyOnce("full backup:").contains("incr backup:");
    }

    @Test
    @Order(2)
    void shouldRefuseToRestoreOverARunningServerIntoAFullDirectoryOrBeforeTheFirstBackup() throws IOException {
        Path full = Files.createDirectories(work.resolve("full"));
        Files.writeString(full.resolve("PG_VERSION"), "15\n");

        Result running = restore("2030-01-01T00:00:00Z", postgres.dataDir());
        Result notEmpty = restore("2030-01-01T00:00:00Z", full);
        Result tooEarly = restore("2001-02-03 04:05:06+01:00", work.resolve("early"));

        assertThat(running.exitCode()).as(running.toString()).isEqualTo(4);
        assertThat(running.stderr()).contains("postmaster.pid exists: stop the server first");
        assertThat(notEmpty.exitCode()).as(notEmpty.toString()).isEqualTo(4);
        assertThat(notEmpty.stderr()).contains("is not empty");
        assertThat(Files.readString(full.resolve("PG_VERSION"))).isEqualTo("15\n");
        assertThat(tooEarly.exitCode()).as(tooEarly.toString()).isEqualTo(4);
        assertThat(tooEarly.stderr()).contains("no backup of stanza scripts finished before 2001-02-03 04:05:06+01:00");
    }

    @Test
    void shouldRepublishPendingAndResetRunningTasksOnceTheRelaysSlotExists(Infrastructure infrastructure) {
        try (ScratchDatabase restored = ScratchDatabase.createWithSchema(infrastructure, "resume")) {
            JdbcClient db = restored.db();
            UUID pending = TaskRows.pending(db, "noop");
            UUID running = TaskRows.running(db, "noop", Duration.ofMinutes(1));
            Map<String, UUID> before = TaskRows.oneInEveryStatus(db);
            long version = db.sql("SELECT last_value FROM task_event_version").query(Long.class).single();
            String slot = "resume_" + UUID.randomUUID().toString().substring(0, 8);

            Result refused = OpsScript.of("after-restore.sh").postgres(restored.login()).run("--slot", slot, "--wait", "0");
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(4);
            assertThat(refused.stderr()).contains("slot " + slot + " does not exist: start the outbox relay");
            assertThat(statuses(db, pending, running)).containsExactly("pending", "running");

            db.sql("SELECT pg_create_logical_replication_slot(?, 'pgoutput')").param(slot).query().listOfRows();
            try {
                String runAt = runAt(db, pending);
                Result resumed = OpsScript.of("after-restore.sh").postgres(restored.login()).run("--slot", slot);

                assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
                assertThat(statuses(db, pending, running)).containsExactly("pending", "pending");
                assertThat(runAt(db, pending)).isNotEqualTo(runAt);
                assertThat(db.sql("SELECT worker_id IS NULL FROM tasks WHERE id = ?").param(running)
                        .query(Boolean.class).single()).isTrue();
                assertThat(db.sql("SELECT outcome FROM task_attempts WHERE task_id = ?").param(running)
                        .query(String.class).list()).containsExactly("abandoned");
                assertThat(db.sql("SELECT last_value FROM task_event_version").query(Long.class).single())
                        .isGreaterThan(version + 1_000_000_000_000L);
                before.forEach((status, id) -> {
                    if (!status.equals("pending") && !status.equals("running")) {
                        assertThat(statuses(db, id)).containsExactly(status);
                    }
                });
            } finally {
                db.sql("SELECT pg_drop_replication_slot(?)").param(slot).query().listOfRows();
            }
        }
    }

    @Test
    void shouldSayWhatIsWrongWithTheCommandLine() {
        Result type = pgBackRestScript("pitr-backup.sh").run("--type", "weekly");
        Result age = pgBackRestScript("pitr-backup.sh").run("--if-older-than", "soon");
        Result noPath = pgBackRestScript("pitr-restore.sh").run("--target-time", "2030-01-01T00:00:00Z");
        Result slot = OpsScript.of("after-restore.sh").run("--slot", "Not-A-Slot");
        Result help = OpsScript.of("pitr-restore.sh").run("--help");

        assertThat(type.exitCode()).isEqualTo(2);
        assertThat(type.stderr()).contains("--type is full, diff or incr, not 'weekly'");
        assertThat(age.exitCode()).isEqualTo(2);
        assertThat(age.stderr()).contains("'soon' is not a duration");
        assertThat(noPath.exitCode()).isEqualTo(2);
        assertThat(noPath.stderr()).contains("--pg-path DIR is required");
        assertThat(slot.exitCode()).isEqualTo(2);
        assertThat(slot.stderr()).contains("'Not-A-Slot' is not a replication slot name");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).startsWith("Usage: pitr-restore.sh").contains("Exit codes:");
    }

    private static Result restore(String time, Path into) {
        return pgBackRestScript("pitr-restore.sh").run("--target-time", time, "--pg-path", into.toString());
    }

    private static OpsScript pgBackRestScript(String name) {
        return OpsScript.of(name).env("PGBACKREST_CONFIG", archive.configFile().toString())
                .env("PGBACKREST_STANZA", archive.stanza());
    }

    private static List<String> statuses(JdbcClient db, UUID... ids) {
        return Arrays.stream(ids)
                .map(id -> db.sql("SELECT status FROM tasks WHERE id = ?").param(id).query(String.class).single())
                .toList();
    }

    private static String runAt(JdbcClient db, UUID id) {
        return db.sql("SELECT run_at::text FROM tasks WHERE id = ?").param(id).query(String.class).single();
    }
}
