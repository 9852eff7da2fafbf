package dev.taskscheduler.worker.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskscheduler.model.RetryPolicy;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.model.submission.ValidSubmission;
import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.store.TaskChanges;
import dev.taskscheduler.store.TaskClaims;
import dev.taskscheduler.store.TaskRepository;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import dev.taskscheduler.worker.handler.TaskOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Claims must not outrun the writes that close them: the writer says when it is too far behind. */
@RealInfrastructure
class OutcomeWriterBacklogTest {

    private static final String WORKER = "worker-backlog";

    @Test
    void shouldBeBehindWhileOutcomesPileUpAndCatchUpOnceTheDatabaseAnswers(Infrastructure infrastructure)
            throws Exception {
        DataSource dataSource = infrastructure.dataSource();
        Flyway.configure().dataSource(dataSource).load().migrate();
        JdbcClient db = JdbcClient.create(dataSource);
        TaskRepository tasks = new TaskRepository(db, TaskChanges.IGNORED);
        TaskClaims claims = new TaskClaims(db, TaskChanges.IGNORED);
        UUID[] ids = insert(tasks, OutcomeWriter.MAX_BACKLOG + 600).stream().map(StoredTask::id).toArray(UUID[]::new);
        List<StoredTask> claimed = claims.claim(WORKER, db.sql(
                        "SELECT id, task_due_millis(run_at) AS due FROM tasks WHERE id = ANY(?)").param(ids)
                .query((row, n) -> new TaskClaims.Release(row.getObject("id", UUID.class), 0, row.getLong("due")))
                .list());
        assertThat(claimed).hasSize(ids.length);
        RunningTasks running = new RunningTasks();
        OutcomeWriter writer = new OutcomeWriter(WORKER, claims, new TransactionTemplate(
                new JdbcTransactionManager(dataSource)), new OutcomeDecision(new RetryBackoff(0, () -> 0.5), WORKER),
                OutcomeWrites.standard(), running, new WorkerMetrics(new SimpleMeterRegistry(), Set.of("default"),
                Set.of("noop")));
        try (Connection blocker = dataSource.getConnection(); Statement lock = blocker.createStatement()) {
            // Another session holds every claimed row: the writer's first batch waits for its locks.
            blocker.setAutoCommit(false);
            lock.execute("SELECT id FROM tasks WHERE worker_id = '" + WORKER + "' FOR UPDATE");
            for (StoredTask task : claimed) {
                Execution execution = new Execution(task, "default", null);
                running.add(execution);
                writer.add(execution, Attempt.succeeded(TaskOutcome.empty()));
            }

            await().atMost(Duration.ofSeconds(30)).until(writer::behind);
            blocker.rollback();
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> !writer.behind()
                && db.sql("SELECT count(*) FROM tasks WHERE worker_id = :worker AND status = :status")
                        .param("worker", WORKER).param("status", TaskStatus.SUCCEEDED.dbValue())
                        .query(Integer.class).single() == claimed.size());
        writer.close(Duration.ofSeconds(10));
    }

    private static List<StoredTask> insert(TaskRepository tasks, int count) {
        List<TaskRepository.NewTask> newTasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            newTasks.add(new TaskRepository.NewTask(UUID.randomUUID(), new ValidSubmission("noop", "{}",
                    Instant.now(), 1, Duration.ofMinutes(1), RetryPolicy.defaults(), null, "fingerprint",
                    TaskPriority.NORMAL)));
        }
        return tasks.insertPendingAll(newTasks);
    }
}
