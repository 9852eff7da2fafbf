package dev.taskscheduler.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.model.RetryPolicy;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.submission.ValidSubmission;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Which workers holding running tasks are silent, by their heartbeat rows and the database's clock. */
@RealInfrastructure
class WorkerLivenessTest {

    private static JdbcClient db;
    private static TaskRepository tasks;
    private static TaskClaims claims;
    private static WorkerLiveness liveness;

    @BeforeAll
    static void migrate(Infrastructure infrastructure) {
        Flyway.configure().dataSource(infrastructure.dataSource()).load().migrate();
        db = JdbcClient.create(infrastructure.dataSource());
        tasks = new TaskRepository(db, TaskChanges.IGNORED);
        claims = new TaskClaims(db, TaskChanges.IGNORED);
        liveness = new WorkerLiveness(db);
    }

    @Test
    void aWorkerIsSilentOnlyWhenItsRowIsMissingOrStale() {
        String beating = "worker-beating-" + UUID.randomUUID();
        String stale = "worker-stale-" + UUID.randomUUID();
        String unknown = "worker-unknown-" + UUID.randomUUID();
        runningTaskOf(beating);
        runningTaskOf(stale);
        runningTaskOf(unknown);
        liveness.beat(beating);
        liveness.beat(stale);
        db.sql("UPDATE worker_heartbeats SET seen_at = now() - interval '1 minute' WHERE worker_id = ?").param(stale)
                .update();

        List<String> silent = liveness.silentWorkersWithRunningTasks(Duration.ofSeconds(10));

        assertThat(silent).contains(stale, unknown).doesNotContain(beating);
        assertThat(liveness.alive(Duration.ofSeconds(10))).extracting(WorkerLiveness.LiveWorker::workerId)
                .contains(beating).doesNotContain(stale);
    }

    @Test
    void aWorkerThatStoppedCleanlyLeavesNoRow() {
        String worker = "worker-stopped-" + UUID.randomUUID();
        liveness.beat(worker);

        liveness.forget(worker);

        assertThat(liveness.alive(Duration.ofMinutes(1))).extracting(WorkerLiveness.LiveWorker::workerId)
                .doesNotContain(worker);
    }

    private static void runningTaskOf(String worker) {
        Instant due = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        StoredTask task = tasks.insertPendingAll(List.of(new TaskRepository.NewTask(UUID.randomUUID(),
                new ValidSubmission("noop", "{}", due, 1, Duration.ofMinutes(1), RetryPolicy.defaults(), null, "f",
                        TaskPriority.NORMAL)))).get(0);
        assertThat(claims.claim(worker, List.of(new TaskClaims.Release(task.id(), 0, due.toEpochMilli()))))
                .hasSize(1);
    }
}
