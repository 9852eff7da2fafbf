package dev.taskscheduler.launcher.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskscheduler.launcher.InfrastructureEndpoints;
import dev.taskscheduler.launcher.ServicePorts;
import dev.taskscheduler.launcher.TaskSchedulerSystem;
import dev.taskscheduler.launcher.ops.OpsScript.PostgresLogin;
import dev.taskscheduler.launcher.ops.OpsScript.Result;
import dev.taskscheduler.launcher.testing.SystemTestClient;
import dev.taskscheduler.launcher.testing.TestSystems;
import dev.taskscheduler.localinfra.LocalPostgres;
import dev.taskscheduler.localinfra.WalArchive;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The runbook's hourly transaction-log backup put to use: a full backup with pitr-backup.sh, tasks accepted for a
 * while, a noted time, more tasks, then pitr-restore.sh to the noted time into an empty data directory, the system
 * started on it and after-restore.sh. The test's ledger of what the API accepted and when proves the result: every
 * task accepted before the noted time exists and ends, none accepted after it exists, and the system relays new
 * work (the relay's stored offset from the lost history is dropped, not followed).
 *
 * <p>PostgreSQL is a cluster of its own that archives its WAL through pgBackRest; Kafka and Redis are the shared test
 * servers. The relay keeps its offsets in a topic of this test, so other tests' relays neither see nor move them.
 */
@RealInfrastructure
class PointInTimeRestoreTest {

    private static final String[] SYSTEM_ARGS = {
        "--spring.main.banner-mode=off",
        "--scheduler.relay.offsets.topic=pitr-test.offsets",
        "--scheduler.worker.shutdown-grace=1s",
    };
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private final List<Accepted> ledger = new ArrayList<>();

    /** A task the API accepted (202), and when the answer arrived. */
    private record Accepted(UUID id, String kind, Instant at) {
    }

    @Test
    void shouldRestoreEveryTaskAcceptedBeforeTheNotedTimeAndNoneAcceptedAfterIt(Infrastructure shared) {
        WalArchive archive = new WalArchive(work.resolve("archive"), "taskdb", Duration.ofSeconds(10));
        Instant noted;
        try (LocalPostgres original = LocalPostgres.start(work.resolve("original"), 0, archive);
             TaskSchedulerSystem system = start(shared, original)) {
            SystemTestClient client = new SystemTestClient(system.apiUrl(), TestSystems.adminKey(system),
                    JdbcClient.create(original.dataSource()));
            Result backup = pgBackRestScript(archive, "pitr-backup.sh").run("--type", "full");
            assertThat(backup.exitCode()).as(backup.toString()).isZero();
            assertThat(backup.stdout()).contains("full backup");
            // pgBackRest records a backup's stop time to the second: a target time in the same second
            // as the stop could not be restored to. The tasks below take less than that here.
            Instant backedUp = Instant.now();
            await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(backedUp.plusMillis(1500)));

            // Before the noted time: tasks that will have run, tasks that wait (pending) and tasks that run (running).
            for (int i = 0; i < 20; i++) {
                accept(client, "done", "{\"type\":\"noop\",\"payload\":{\"n\":" + i + "}}");
            }
            for (int i = 0; i < 5; i++) {
                accept(client, "waiting", "{\"type\":\"noop\",\"delay\":\"PT15S\"}");
            }
            List<UUID> running = List.of(accept(client, "running", "{\"type\":\"sleep\",\"payload\":{\"millis\":6000}}"),
                    accept(client, "running", "{\"type\":\"sleep\",\"payload\":{\"millis\":6000}}"));
            running.forEach(id -> client.awaitStatus(id, "running"));
            noted = Instant.now().truncatedTo(ChronoUnit.MICROS);

            // After it: tasks the restore must not bring back, run or waiting.
            for (int i = 0; i < 10; i++) {
                accept(client, "after", "{\"type\":\"noop\",\"payload\":{\"late\":" + i + "}}");
            }
            for (int i = 0; i < 3; i++) {
                accept(client, "after", "{\"type\":\"noop\",\"delay\":\"PT2H\"}");
            }
            accepted(kind -> kind.equals("after")).stream().limit(10).forEach(id -> client.awaitStatus(id, "succeeded"));
            archiveCurrentSegment(original);
        }
        assertThat(accepted(kind -> !kind.equals("after"))).allSatisfy(id -> assertThat(at(id)).isBefore(noted));
        assertThat(accepted(kind -> kind.equals("after"))).allSatisfy(id -> assertThat(at(id)).isAfter(noted));

        Path restoredData = work.resolve("restored");
        Result restore = pgBackRestScript(archive, "pitr-restore.sh")
                .run("--target-time", noted.toString(), "--pg-path", restoredData.toString());
        assertThat(restore.exitCode()).as(restore.toString()).isZero();

        try (LocalPostgres restored = LocalPostgres.start(restoredData, 0, archive);
             TaskSchedulerSystem system = start(shared, restored)) {
            JdbcClient db = JdbcClient.create(restored.dataSource());
            Result resumed = OpsScript.of("after-restore.sh").postgres(login(restored)).run("--wait", "60s");
            assertThat(resumed.exitCode()).as(resumed.toString()).isZero();

            List<UUID> before = accepted(kind -> !kind.equals("after"));
            await().atMost(SETTLE_TIMEOUT).untilAsserted(() -> assertThat(db.sql("""
                            SELECT id, status FROM tasks WHERE id = ANY (?)""").param(before.toArray(UUID[]::new))
                    .query((rs, n) -> rs.getString("id") + " " + rs.getString("status")).list())
                    .as("tasks accepted before the noted time, after the restore")
                    .hasSize(before.size()).allSatisfy(row -> assertThat(row).endsWith(" succeeded")));
            assertThat(db.sql("SELECT count(*) FROM tasks WHERE id = ANY (?)")
                    .param(accepted(kind -> kind.equals("after")).toArray(UUID[]::new)).query(Long.class).single())
                    .as("tasks accepted after the noted time").isZero();

            SystemTestClient client = new SystemTestClient(system.apiUrl(), TestSystems.adminKey(system), db);
            client.awaitStatus(client.submit("{\"type\":\"noop\"}"), "succeeded");
        }
    }

    private UUID accept(SystemTestClient client, String kind, String body) {
        UUID id = client.submit(body);
        ledger.add(new Accepted(id, kind, Instant.now()));
        return id;
    }

    private List<UUID> accepted(java.util.function.Predicate<String> kind) {
        return ledger.stream().filter(entry -> kind.test(entry.kind())).map(Accepted::id).toList();
    }

    private Instant at(UUID id) {
        return ledger.stream().filter(entry -> entry.id().equals(id)).findFirst().orElseThrow().at();
    }

    /** Closes the WAL segment in use and waits until the archive has it: the restore replays only archived WAL. */
    private static void archiveCurrentSegment(LocalPostgres postgres) {
        JdbcClient admin = JdbcClient.create(postgres.superuserDataSource());
        String segment = admin.sql("SELECT pg_walfile_name(pg_switch_wal())").query(String.class).single();
        await().atMost(Duration.ofSeconds(30)).until(() -> segment.compareTo(admin.sql(
                "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver").query(String.class).single()) <= 0);
    }

    private TaskSchedulerSystem start(Infrastructure shared, LocalPostgres postgres) {
        InfrastructureEndpoints endpoints = new InfrastructureEndpoints(shared.kafkaBootstrapServers(),
                postgres.jdbcUrl(), postgres.username(), postgres.password(), shared.redisUrl());
        return TaskSchedulerSystem.start(endpoints, ServicePorts.random(), work.resolve("scheduler-state"), SYSTEM_ARGS);
    }

    private static OpsScript pgBackRestScript(WalArchive archive, String name) {
        return OpsScript.of(name).env("PGBACKREST_CONFIG", archive.configFile().toString())
                .env("PGBACKREST_STANZA", archive.stanza());
    }

    private static PostgresLogin login(LocalPostgres postgres) {
        return new PostgresLogin(postgres.host(), postgres.port(), postgres.database(), postgres.username(),
                postgres.password());
    }
}
