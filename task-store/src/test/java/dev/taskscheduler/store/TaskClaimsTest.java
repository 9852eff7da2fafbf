package dev.taskscheduler.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.taskscheduler.model.RetryPolicy;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.model.submission.ValidSubmission;
import dev.taskscheduler.store.TaskClaims.Release;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The worker's batch statements on a real PostgreSQL: each fenced row by row. */
@RealInfrastructure
class TaskClaimsTest {

    private static final String WORKER = "worker-batch-a";
    private static DataSource dataSource;
    private static JdbcClient db;
    private static TaskRepository tasks;
    private static TaskClaims claims;

    @BeforeAll
    static void migrate(Infrastructure infrastructure) {
        Flyway.configure().dataSource(infrastructure.dataSource()).load().migrate();
        dataSource = infrastructure.dataSource();
        db = JdbcClient.create(dataSource);
        tasks = new TaskRepository(db, TaskChanges.IGNORED);
        claims = new TaskClaims(db, TaskChanges.IGNORED);
    }

    @Test
    void claimsABatchAndSkipsDuplicatedWrongAttemptAndTakenReleases() {
        List<StoredTask> batch = insert(5);
        StoredTask taken = batch.get(4);
        claims.claim("worker-other", List.of(release(taken, 0)));
        List<Release> releases = new ArrayList<>(batch.stream().map(task -> release(task, 0)).toList());
        releases.add(release(batch.get(0), 0)); // delivered twice
        releases.add(release(batch.get(1), 1)); // an attempt that does not exist

        List<StoredTask> claimed = claims.claim(WORKER, releases);

        assertThat(claimed).extracting(StoredTask::id)
                .containsExactlyInAnyOrderElementsOf(batch.subList(0, 4).stream().map(StoredTask::id).toList());
        assertThat(claimed).allSatisfy(task -> {
            assertThat(task.status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(task.workerId()).isEqualTo(WORKER);
            assertThat(tasks.findAttempts(task.id())).singleElement()
                    .satisfies(attempt -> assertThat(attempt.outcome()).isEqualTo("running"));
        });
        assertThat(tasks.findById(taken.id()).orElseThrow().workerId()).isEqualTo("worker-other");
    }

    /** A release made for the old due time of a task rescheduled since must not run it early. */
    @Test
    void aReleaseForADueTimeTheTaskNoLongerHasClaimsNothing() {
        StoredTask task = insert(1).get(0);
        Release old = release(task, 0);
        tasks.reschedule(task.id(), Instant.now().plus(Duration.ofHours(1)));

        assertThat(claims.claim(WORKER, List.of(old))).isEmpty();
        assertThat(claims.claim(WORKER, List.of(release(task, 0)))).hasSize(1);
    }

    /** A claim whose commit answer was lost is claimed again by the same worker, never by another. */
    @Test
    void theHolderOfAClaimCanClaimItAgainAndNoOneElseCan() {
        StoredTask task = insert(1).get(0);
        claims.claim(WORKER, List.of(release(task, 0)));

        assertThat(claims.claim("worker-other", List.of(release(task, 0)))).isEmpty();
        assertThat(claims.claim(WORKER, List.of(release(task, 0)))).singleElement()
                .satisfies(again -> assertThat(again.status()).isEqualTo(TaskStatus.RUNNING));
        assertThat(tasks.findAttempts(task.id())).hasSize(1);
    }

    @Test
    void recordsOutcomesOfEveryKindInOneCallAndOnlyForTheClaimHolder() {
        List<StoredTask> reported = new ArrayList<>();
        TaskClaims claimsReporting = new TaskClaims(db, reported::addAll);
        List<StoredTask> batch = insert(5);
        List<StoredTask> claimed = claimsReporting.claim(WORKER, batch.stream().map(task -> release(task, 0)).toList());
        assertThat(reported).containsExactlyInAnyOrderElementsOf(claimed);
        reported.clear();
        Map<UUID, StoredTask> byId = new java.util.HashMap<>();
        claimed.forEach(task -> byId.put(task.id(), task));

        Set<UUID> recorded = claimsReporting.record(WORKER, List.of(
                finished(byId, new AttemptOutcome.Succeeded(batch.get(0).id(), 0, "{\"ok\":1}", null)),
                finished(byId, new AttemptOutcome.Retry(batch.get(1).id(), 0, "boom", Duration.ofSeconds(60), false)),
                finished(byId, new AttemptOutcome.DeadLetter(batch.get(2).id(), 0, "gave up")),
                finished(byId, new AttemptOutcome.GiveBack(batch.get(3).id(), 0, "stopping")),
                finished(byId, new AttemptOutcome.Succeeded(batch.get(4).id(), 1, null, null)))); // not the attempt held

        assertThat(recorded).containsExactlyInAnyOrderElementsOf(batch.subList(0, 4).stream().map(StoredTask::id)
                .toList());
        assertThat(status(batch.get(0))).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(tasks.findById(batch.get(1).id()).orElseThrow()).satisfies(retried -> {
            assertThat(retried.status()).isEqualTo(TaskStatus.PENDING);
            assertThat(retried.retryCount()).isEqualTo(1);
            assertThat(retried.lastError()).isEqualTo("boom");
            assertThat(retried.runAt()).isEqualTo(retried.finishedAt().plusSeconds(60)); // the database's clock
        });
        assertThat(status(batch.get(2))).isEqualTo(TaskStatus.DEAD_LETTER);
        assertThat(tasks.findById(batch.get(3).id()).orElseThrow()).satisfies(back -> {
            assertThat(back.status()).isEqualTo(TaskStatus.PENDING);
            assertThat(back.retryCount()).isZero();
        });
        assertThat(status(batch.get(4))).isEqualTo(TaskStatus.RUNNING);
        // What the cache is told is each row as it now reads, status and version (updated_at) alike.
        assertThat(reported).hasSize(4).allSatisfy(row -> {
            StoredTask stored = tasks.findById(row.id()).orElseThrow();
            assertThat(row.status()).isEqualTo(stored.status());
            assertThat(row.retryCount()).isEqualTo(stored.retryCount());
            assertThat(row.updatedAt()).isEqualTo(stored.updatedAt());
            assertThat(row.lastError()).isEqualTo(stored.lastError());
        });
    }

    /** Each attempt keeps the due time it was claimed for, though the retry moved the task's run_at. */
    @Test
    void eachAttemptKeepsTheDueTimeItWasClaimedFor() {
        StoredTask task = insert(1).get(0);
        StoredTask first = claims.claim(WORKER, List.of(release(task, 0))).get(0);
        claims.record(WORKER, List.of(new TaskClaims.Finished(first,
                new AttemptOutcome.Retry(task.id(), 0, "boom", Duration.ofMillis(5), false))));
        Instant retryDue = tasks.findById(task.id()).orElseThrow().runAt();
        claims.claim(WORKER, List.of(release(task, 1)));

        List<Map<String, Object>> attempts = db.sql("""
                SELECT attempt, due_at, started_at FROM all_task_attempts WHERE task_id = ? ORDER BY attempt""")
                .param(task.id()).query().listOfRows();
        assertThat(attempts).extracting(row -> ((Timestamp) row.get("due_at")).toInstant())
                .containsExactly(first.runAt(), retryDue);
        assertThat(retryDue).isNotEqualTo(first.runAt());
    }

    /**
     * An attempt's row is written once, when it ends, from the claimed task row: while it runs the
     * task row is the attempt, and the view shows it as running.
     */
    @Test
    void anAttemptRowIsWrittenOnceWhenTheAttemptEnds() {
        StoredTask task = insert(1).get(0);
        StoredTask claimed = claims.claim(WORKER, List.of(release(task, 0))).get(0);

        assertThat(attemptRows(task.id())).isZero();
        assertThat(tasks.findAttempts(task.id())).singleElement().satisfies(running -> {
            assertThat(running.outcome()).isEqualTo("running");
            assertThat(running.workerId()).isEqualTo(WORKER);
            assertThat(running.startedAt()).isEqualTo(claimed.startedAt());
            assertThat(running.finishedAt()).isNull();
        });

        claims.record(WORKER, List.of(new TaskClaims.Finished(claimed,
                new AttemptOutcome.Succeeded(task.id(), 0, null, null))));

        List<Map<String, Object>> rows = db.sql("""
                SELECT attempt, worker_id, started_at, due_at, finished_at, outcome, xmax::text AS xmax
                  FROM task_attempts WHERE task_id = ?""").param(task.id()).query().listOfRows();
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.get("attempt")).isEqualTo(0);
            assertThat(row.get("worker_id")).isEqualTo(WORKER);
            assertThat(((Timestamp) row.get("started_at")).toInstant()).isEqualTo(claimed.startedAt());
            assertThat(((Timestamp) row.get("due_at")).toInstant()).isEqualTo(claimed.runAt());
            assertThat(row.get("finished_at")).isNotNull();
            assertThat(row.get("outcome")).isEqualTo("succeeded");
            assertThat(row.get("xmax")).as("never updated").isEqualTo("0");
        });
        assertThat(tasks.findAttempts(task.id())).extracting(TaskAttempt::outcome).containsExactly("succeeded");
    }

    /** No foreign key holds the history to its task: triggers remove it with the task, as a cascade did. */
    @Test
    void deletingOrTruncatingTasksRemovesTheirAttempts() {
        List<StoredTask> both = insert(2);
        for (StoredTask task : both) {
            StoredTask claimed = claims.claim(WORKER, List.of(release(task, 0))).get(0);
            claims.record(WORKER, List.of(new TaskClaims.Finished(claimed,
                    new AttemptOutcome.Succeeded(task.id(), 0, null, null))));
        }
        UUID deleted = both.get(0).id();
        UUID kept = both.get(1).id();

        db.sql("DELETE FROM tasks WHERE id = ?").param(deleted).update();

        assertThat(attemptRows(deleted)).isZero();
        assertThat(attemptRows(kept)).isOne();

        // TRUNCATE is transactional: look inside a transaction, then roll it back for the other tests.
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        transaction.executeWithoutResult(status -> {
            db.sql("TRUNCATE tasks").update();
            assertThat(db.sql("SELECT count(*) FROM task_attempts").query(Long.class).single()).isZero();
            status.setRollbackOnly();
        });
        assertThat(attemptRows(kept)).isOne();
    }

    private static long attemptRows(UUID taskId) {
        return db.sql("SELECT count(*) FROM task_attempts WHERE task_id = ?").param(taskId).query(Long.class).single();
    }

    private static TaskClaims.Finished finished(Map<UUID, StoredTask> claimed, AttemptOutcome outcome) {
        return new TaskClaims.Finished(claimed.get(outcome.taskId()), outcome);
    }

    @Test
    void defersWithAWaitThatDoublesWithEachDeferralInARow() {
        StoredTask task = insert(1).get(0);
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertThat(claims.defer(List.of(release(task, 0)), Duration.ofSeconds(1), Duration.ofSeconds(30)))
                    .isEqualTo(1);
            // Measured on the database's clock: the deferral stamps updated_at and counts run_at from the
            // same now(), so the figures do not depend on how long the round trip took.
            StoredTask deferred = tasks.findById(task.id()).orElseThrow();
            waits.add(Duration.between(deferred.updatedAt(), deferred.runAt()));
        }

        assertThat(waits.get(0)).isBetween(Duration.ofMillis(750), Duration.ofMillis(1250));
        assertThat(waits.get(1)).isBetween(Duration.ofMillis(1500), Duration.ofMillis(2500));
        assertThat(waits.get(2)).isBetween(Duration.ofMillis(3000), Duration.ofMillis(5000));
        assertThat(claims.claim(WORKER, List.of(release(task, 0)))).hasSize(1);
        assertThat(db.sql("SELECT deferrals FROM tasks WHERE id = ?").param(task.id()).query(Integer.class).single())
                .isZero();
    }

    @Test
    void touchesOnlyTheRunningTasksItIsGiven() {
        List<StoredTask> batch = claimedAnHourAgo(2);

        assertThat(claims.touch(WORKER, List.of(batch.get(0).id()))).isEqualTo(1);

        assertThat(tasks.findById(batch.get(0).id()).orElseThrow().updatedAt())
                .isAfter(Instant.now().minusSeconds(60));
        assertThat(tasks.findById(batch.get(1).id()).orElseThrow().updatedAt())
                .isBefore(Instant.now().minusSeconds(3000));
    }

    /** The lease refresh never waits for a row another transaction holds (it deadlocked with the outcome writer). */
    @Test
    void touchSkipsARowAnotherTransactionHoldsInsteadOfWaiting() throws Exception {
        List<StoredTask> batch = claimedAnHourAgo(2);
        List<UUID> ids = batch.stream().map(StoredTask::id).toList();

        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("SELECT id FROM tasks WHERE id = ? FOR UPDATE")) {
                lock.setObject(1, batch.get(1).id());
                lock.executeQuery().close();
            }

            int touched = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> claims.touch(WORKER, ids));

            assertThat(touched).isEqualTo(1);
            other.rollback();
        }
        assertThat(tasks.findById(batch.get(0).id()).orElseThrow().updatedAt())
                .isAfter(Instant.now().minusSeconds(60));
        assertThat(tasks.findById(batch.get(1).id()).orElseThrow().updatedAt())
                .isBefore(Instant.now().minusSeconds(3000));
    }

    /** Tasks this worker claimed, their lease last renewed an hour ago. */
    private static List<StoredTask> claimedAnHourAgo(int count) {
        List<StoredTask> batch = insert(count);
        claims.claim(WORKER, batch.stream().map(task -> release(task, 0)).toList());
        db.sql("UPDATE tasks SET updated_at = now() - interval '1 hour' WHERE id = ANY(?)")
                .param(batch.stream().map(StoredTask::id).toArray(UUID[]::new)).update();
        return batch;
    }

    private static TaskStatus status(StoredTask task) {
        return tasks.findById(task.id()).orElseThrow().status();
    }

    private static Release release(StoredTask task, int attempt) {
        Instant due = tasks.findById(task.id()).orElseThrow().runAt();
        long dueMillis = db.sql("SELECT task_due_millis(?)").param(Timestamp.from(due)).query(Long.class).single();
        return new Release(task.id(), attempt, dueMillis);
    }

    private static List<StoredTask> insert(int count) {
        List<TaskRepository.NewTask> newTasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            newTasks.add(new TaskRepository.NewTask(UUID.randomUUID(), new ValidSubmission("noop", "{}",
                    Instant.now(), 1, Duration.ofMinutes(1), RetryPolicy.defaults(), null, "fingerprint",
                    TaskPriority.NORMAL)));
        }
        return tasks.insertPendingAll(newTasks);
    }
}
