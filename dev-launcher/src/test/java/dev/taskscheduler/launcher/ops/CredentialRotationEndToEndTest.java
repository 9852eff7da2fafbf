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
import dev.taskscheduler.launcher.testing.TestHandlers;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import dev.taskscheduler.worker.WorkerProperties;
import dev.taskscheduler.worker.liveness.WorkerHeartbeat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The operators' scripts against the whole running system: credential rotation of PostgreSQL and
 * Redis while tasks keep arriving and the services restart one after another (as a rollout restart
 * does), and the stuck-task and dead-letter repairs making tasks run again.
 *
 * <p>The passwords of the shared servers are changed here and set back when the class ends.
 */
@RealInfrastructure
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CredentialRotationEndToEndTest {

    private static final String[] SYSTEM_ARGS = {
        "--spring.main.banner-mode=off",
        "--spring.main.sources=" + TestHandlers.class.getName(),
        "--scheduler.worker.heartbeat.interval=500ms",
        "--scheduler.worker.shutdown-grace=5s",
        // Neither an expired lease nor its refresh may recover or hide the stuck task of the test: the
        // operator's script has to. Rescues of dead workers (heartbeats) stay on.
        "--scheduler.worker.rescue.lease=2h",
        "--scheduler.worker.rescue.lease-refresh=1h",
    };

    /** Rolling restart order: the relay first, so that nothing waits for it behind the others. */
    private static final List<String> SERVICES = List.of("outbox-relay", "api-server", "scheduler", "worker");

    private static final Duration SUBMIT_PACE = Duration.ofMillis(25);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    static Path stateDir;

    @TempDir
    static Path secrets;

    private static Infrastructure infrastructure;
    private static PostgresLogin admin;
    private static TaskSchedulerSystem system;
    private static String postgresPassword;
    private static String redisPassword;

    @BeforeAll
    static void startSystemWithARedisPassword(Infrastructure shared) throws IOException {
        infrastructure = shared;
        PostgresLogin taskdb = ScratchDatabase.login(shared);
        postgresPassword = taskdb.password();
        // Locally, taskuser is no superuser and (on PostgreSQL 15) cannot change its own password as a
        // replication role; the operator connects as the administrator. In the image, taskuser is that.
        admin = shared.kind() == Infrastructure.Kind.LOCAL ? taskdb.withUser("postgres", null) : taskdb;
        // The local Redis starts without a password; give it one, as deployed.
        Path first = secrets.resolve("redis-password-1");
        Result added = redisScript(null).run("add", "--generate", first.toString());
        assertThat(added.exitCode()).as(added.toString()).isZero();
        redisPassword = Files.readString(first).trim();
        system = TaskSchedulerSystem.start(endpoints(), ServicePorts.random(), stateDir, SYSTEM_ARGS);
    }

    @AfterAll
    static void stopSystemAndRestorePasswords() {
        if (system != null) {
            system.close();
        }
        // Later test classes in this JVM use the original credentials.
        if (postgresPassword != null) {
            Result reset = OpsScript.of("rotate-postgres-password.sh").postgres(currentAdmin())
                    .env("NEW_PGPASSWORD", infrastructure.jdbcPassword()).run("--role", infrastructure.jdbcUsername());
            assertThat(reset.exitCode()).as(reset.toString()).isZero();
        }
        if (redisPassword != null) {
            Result reset = redisCli(redisPassword, "ACL", "SETUSER", "default", "resetpass", "nopass");
            assertThat(reset.stdout().trim()).as(reset.toString()).isEqualTo("OK");
        }
    }

    @Test
    @Order(1)
    void shouldLoseNoTaskWhileBothPasswordsAreRotatedAndTheServicesRestartOneByOne() throws Exception {
        Submitter submitter = new Submitter();
        try {
            submitter.awaitMoreAccepted(20);

            // PostgreSQL: the new password is in force at once; open sessions keep working.
            String oldPostgresPassword = postgresPassword;
            Path newPostgres = secrets.resolve("postgres-password-2");
            Result rotated = OpsScript.of("rotate-postgres-password.sh").postgres(currentAdmin())
                    .run("--generate", newPostgres.toString(), "--role", infrastructure.jdbcUsername());
            assertThat(rotated.exitCode()).as(rotated.toString()).isZero();
            postgresPassword = Files.readString(newPostgres).trim();
            assertThat(canLogIntoPostgres(oldPostgresPassword)).isFalse();
            assertThat(canLogIntoPostgres(postgresPassword)).isTrue();

            // Redis: the new password is added; the old one works until every service has the new one.
            String oldRedisPassword = redisPassword;
            Path newRedis = secrets.resolve("redis-password-2");
            Result added = redisScript(oldRedisPassword).run("add", "--generate", newRedis.toString());
            assertThat(added.exitCode()).as(added.toString()).isZero();
            redisPassword = Files.readString(newRedis).trim();
            submitter.awaitMoreAccepted(10);

            for (String service : SERVICES) {
                system.restart(service, endpoints());
                submitter.awaitMoreAccepted(10);
            }

            Path oldRedisFile = secrets.resolve("redis-password-1");
            Result retired = redisScript(redisPassword).run("retire", "--password-file", oldRedisFile.toString());
            assertThat(retired.exitCode()).as(retired.toString()).isZero();
            Result oldPassword = redisCli(oldRedisPassword, "PING");
            assertThat(oldPassword.stdout() + oldPassword.stderr()).contains("WRONGPASS").doesNotContain("PONG");

            // No service still depends on the old Redis password: cut their connections, and the worker's
            // heartbeat comes back over a new one. (The restarted services reach PostgreSQL only with the
            // new password: the old one is refused since the rotation.)
            long cut = System.currentTimeMillis();
            assertThat(redisCli(redisPassword, "CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes").exitCode()).isZero();
            String heartbeatKey = WorkerHeartbeat.keyOf(system.context("worker").getBean(WorkerProperties.class).id());
            await().atMost(SETTLE_TIMEOUT).untilAsserted(() -> assertThat(
                    Long.parseLong(redisCli(redisPassword, "GET", heartbeatKey).stdout().trim())).isGreaterThan(cut));
            submitter.awaitMoreAccepted(20);
        } finally {
            submitter.close();
        }

        Set<UUID> accepted = submitter.accepted;
        assertThat(accepted).hasSizeGreaterThan(100);
        UUID[] ids = accepted.toArray(UUID[]::new);
        await().atMost(SETTLE_TIMEOUT).untilAsserted(() -> assertThat(db().sql("""
                        SELECT t.id || ' ' || t.status || ' worker ' || coalesce(t.worker_id, '-') || ' attempt '
                               || t.retry_count || ' updated ' || t.updated_at || ' attempts '
                               || coalesce((SELECT string_agg(a.outcome || '@' || coalesce(a.worker_id, '-'), ', ')
                                              FROM task_attempts a WHERE a.task_id = t.id), 'none')
                          FROM tasks t WHERE t.id = ANY (?) AND t.status <> 'succeeded'""")
                .param(ids).query(String.class).list()).as("accepted tasks not succeeded").isEmpty());
        assertThat(db().sql("SELECT count(*) FROM tasks WHERE id = ANY (?)").param(ids).query(Long.class).single())
                .isEqualTo(accepted.size());
        // Exactly once: one succeeded attempt per task and no failed one.
        assertThat(db().sql("""
                        SELECT count(*) FILTER (WHERE outcome = 'succeeded') || '/' || count(*) FILTER (WHERE outcome = 'failed')
                          FROM task_attempts WHERE task_id = ANY (?) GROUP BY task_id""")
                .param(ids).query(String.class).list())
                .hasSize(accepted.size()).containsOnly("1/0");
    }

    @Test
    @Order(2)
    void shouldRunAStuckTaskAgainAfterTheScriptResetIt() {
        SystemTestClient client = new SystemTestClient(system.apiUrl(), TestSystems.adminKey(system), db());
        UUID id = client.submit("{\"type\":\"noop\",\"delay\":\"PT1H\"}");
        // A task the live worker lost track of (it claimed it, then its thread died): running, due, not
        // touched for 45 minutes. Its worker's heartbeat goes on, so no rescue of a dead worker takes it.
        String worker = system.context("worker").getBean(WorkerProperties.class).id();
        db().sql("""
                        UPDATE tasks SET status = 'running', worker_id = ?, run_at = now(),
                                         started_at = now() - interval '45 minutes', updated_at = now() - interval '45 minutes'
                         WHERE id = ?""").params(worker, id).update();

        Result listed = script("stuck-tasks.sh", "list", "--csv");
        Result reset = script("stuck-tasks.sh", "reset", "--csv");

        assertThat(listed.csvIds()).contains(id.toString());
        assertThat(reset.csvIds()).contains(id.toString());
        client.awaitStatus(id, "succeeded");
        assertThat(db().sql("SELECT outcome FROM task_attempts WHERE task_id = ? ORDER BY started_at, id")
                .param(id).query(String.class).list()).containsExactly("abandoned", "succeeded");
    }

    @Test
    @Order(3)
    void shouldRunADeadLetterAgainAfterTheScriptRetriedIt() {
        SystemTestClient client = new SystemTestClient(system.apiUrl(), TestSystems.adminKey(system), db());
        UUID id = client.submit("{\"type\":\"fails-once\",\"maxRetries\":0}");
        client.awaitStatus(id, "dead_letter");

        Result listed = script("dead-letters.sh", "list", "--csv", "--type", "fails-once", "--limit", "100");
        Result retried = script("dead-letters.sh", "retry", id.toString(), "--csv");

        assertThat(listed.csvIds()).contains(id.toString());
        assertThat(retried.exitCode()).as(retried.toString()).isZero();
        client.awaitStatus(id, "succeeded");
        assertThat(db().sql("SELECT outcome FROM task_attempts WHERE task_id = ? ORDER BY started_at, id")
                .param(id).query(String.class).list()).containsExactly("failed", "succeeded");
    }

    private static Result script(String name, String... args) {
        return OpsScript.of(name).postgres(ScratchDatabase.login(infrastructure).withUser(
                infrastructure.jdbcUsername(), postgresPassword)).run(args);
    }

    private static InfrastructureEndpoints endpoints() {
        return new InfrastructureEndpoints(infrastructure.kafkaBootstrapServers(), infrastructure.jdbcUrl(),
                infrastructure.jdbcUsername(), postgresPassword, redisUrl(redisPassword));
    }

    private static String redisUrl(String password) {
        return password == null ? infrastructure.redisUrl()
                : "redis://:" + password + "@" + infrastructure.redisHost() + ":" + infrastructure.redisPort();
    }

    private static OpsScript redisScript(String password) {
        return OpsScript.of("rotate-redis-password.sh").env("REDIS_URL", redisUrl(password));
    }

    private static Result redisCli(String password, String... command) {
        List<String> args = new ArrayList<>(List.of("--no-auth-warning", "-h", infrastructure.redisHost(),
                "-p", Integer.toString(infrastructure.redisPort())));
        args.addAll(List.of(command));
        return OpsScript.tool("redis-cli").env("REDISCLI_AUTH", password).run(args.toArray(String[]::new));
    }

    /** The administrator's login; in the image that is taskuser, with its current password. */
    private static PostgresLogin currentAdmin() {
        return admin.password() == null ? admin : admin.withUser(admin.user(), postgresPassword);
    }

    /** The application's database with its current password. */
    private static JdbcClient db() {
        return JdbcClient.create(ScratchDatabase.dataSource(ScratchDatabase.login(infrastructure)
                .withUser(infrastructure.jdbcUsername(), postgresPassword)));
    }

    private static boolean canLogIntoPostgres(String password) {
        try (var connection = DriverManager.getConnection(infrastructure.jdbcUrl(), infrastructure.jdbcUsername(),
                password)) {
            return connection.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Submits noop tasks over REST at a steady pace from a thread of its own until closed, and keeps
     * the ids of those the API accepted (202). Refused or failed requests are expected while the
     * api-server restarts; they are not accepted, so nothing is owed for them.
     */
    private static final class Submitter {

        private static final int MAX_SUBMISSIONS = 20_000;

        final Set<UUID> accepted = ConcurrentHashMap.newKeySet();

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger failures = new AtomicInteger();
        private final Thread thread;

        Submitter() {
            thread = new Thread(this::submitUntilClosed, "rotation-submitter");
            thread.start();
        }

        private void submitUntilClosed() {
            SystemTestClient client = new SystemTestClient(system.apiUrl(), TestSystems.adminKey(system), null);
            for (int i = 0; i < MAX_SUBMISSIONS && running.get(); i++) {
                try {
                    var response = client.post("{\"type\":\"noop\",\"payload\":{\"n\":" + i + "}}", null);
                    if (response.statusCode() == 202) {
                        accepted.add(UUID.fromString(SystemTestClient.json(response).path("id").asString()));
                    } else {
                        failures.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                }
                LockSupport.parkNanos(SUBMIT_PACE.toNanos());
            }
        }

        /** Waits until {@code more} further tasks were accepted: the system takes work at this point. */
        void awaitMoreAccepted(int more) {
            int target = accepted.size() + more;
            await().atMost(SETTLE_TIMEOUT).until(() -> accepted.size() >= target);
        }

        void close() throws InterruptedException {
            running.set(false);
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }
}
