package dev.taskscheduler.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.RetryPolicy;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.model.submission.ValidSubmission;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The services' own database roles (V22): each can do its work, the lifecycle trigger included, and
 * nothing of another service's.
 */
@RealInfrastructure
class ServiceRolesTest {

    private static final String PASSWORD = "role-test-" + UUID.randomUUID();
    private static JdbcClient owner;
    private static JdbcClient apiServer;
    private static JdbcClient worker;
    private static JdbcClient relay;

    @BeforeAll
    static void createRoles(Infrastructure infrastructure) {
        Flyway.configure().dataSource(infrastructure.dataSource()).load().migrate();
        owner = JdbcClient.create(infrastructure.dataSource());
        // As deploy/base/postgres/20-service-roles.sh does, then the grants of the migration.
        for (String role : new String[] {"ts_api_server", "ts_worker", "ts_outbox_relay"}) {
            owner.sql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN "
                    + "CREATE ROLE " + role + " LOGIN; END IF; END $$").update();
            owner.sql("ALTER ROLE " + role + " PASSWORD '" + PASSWORD + "'").update();
        }
        owner.sql("SELECT grant_service_roles()").query().singleRow();
        apiServer = as(infrastructure, "ts_api_server");
        worker = as(infrastructure, "ts_worker");
        relay = as(infrastructure, "ts_outbox_relay");
    }

    @Test
    void shouldLetTheApiServerSubmitAndCancelAndTheWorkerRunATask() {
        TaskRepository api = new TaskRepository(apiServer, TaskChanges.IGNORED);
        TaskClaims work = new TaskClaims(worker, TaskChanges.IGNORED);
        WorkerLiveness liveness = new WorkerLiveness(worker);
        List<StoredTask> inserted = api.insertPendingAll(List.of(
                new TaskRepository.NewTask(UUID.randomUUID(), submission()),
                new TaskRepository.NewTask(UUID.randomUUID(), submission())));
        StoredTask submitted = inserted.get(0);
        StoredTask cancelled = inserted.get(1);

        assertThat(api.cancel(cancelled.id())).isPresent();
        liveness.beat("role-test-worker");
        assertThat(work.claim("role-test-worker", List.of(new TaskClaims.Release(submitted.id(), 0,
                submitted.runAt().toEpochMilli())))).hasSize(1);
        StoredTask claimed = api.findById(submitted.id()).orElseThrow();
        assertThat(work.record("role-test-worker", List.of(new TaskClaims.Finished(claimed,
                new AttemptOutcome.Succeeded(submitted.id(), 0, "{\"ok\":true}", null))))).contains(submitted.id());
        assertThat(api.findById(submitted.id())).map(StoredTask::status).contains(TaskStatus.SUCCEEDED);
        assertThat(new TaskRepository(worker, TaskChanges.IGNORED).findAttempts(submitted.id())).hasSize(1);
        assertThat(new TaskRepository(worker, TaskChanges.IGNORED).republishOverdue(java.time.Duration.ofHours(1), 10)).isNotNegative();
    }

    @Test
    void shouldKeepEachRoleOutOfWhatItDoesNotNeed() {
        assertThatThrownBy(() -> worker.sql("SELECT count(*) FROM api_keys").query(Long.class).single())
                .isInstanceOf(BadSqlGrammarException.class).rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> worker.sql("DELETE FROM tasks").update())
                .rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> worker.sql("INSERT INTO dlq_replays (requested_by, filter, dry_run, matched, "
                + "replayed) VALUES ('x', '{}', true, 0, 0)").update()).rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> apiServer.sql("DELETE FROM tasks").update())
                .rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> apiServer.sql("DROP TABLE audit_events").update())
                .rootCause().hasMessageContaining("must be owner");
        assertThatThrownBy(() -> relay.sql("SELECT count(*) FROM tasks").query(Long.class).single())
                .rootCause().hasMessageContaining("permission denied");
        assertThat(relay.sql("SELECT count(*) FROM outbox").query(Long.class).single()).isZero();
    }

    private static ValidSubmission submission() {
        return new ValidSubmission("role-test", Json.write(java.util.Map.of("n", 1)),
                Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.MILLIS), 3,
                Duration.ofMinutes(5), new RetryPolicy(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5)), null,
                "fingerprint", TaskPriority.NORMAL);
    }

    private static JdbcClient as(Infrastructure infrastructure, String role) {
        return JdbcClient.create(new DriverManagerDataSource(infrastructure.jdbcUrl(), role, PASSWORD));
    }
}
