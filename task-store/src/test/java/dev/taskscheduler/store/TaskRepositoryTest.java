package dev.taskscheduler.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.model.submission.ValidSubmission;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import dev.taskscheduler.model.RetryPolicy;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.TaskLifecycle;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The repository's conditional updates and the lifecycle trigger on a real PostgreSQL. The trigger's
 * outbox rows are deleted in their own transaction, so the events are observed through a logical
 * replication slot with the test_decoding plugin.
 */
@RealInfrastructure
class TaskRepositoryTest {

    private static final String WORKER = "worker-a";
    private static JdbcClient db;
    private static TaskRepository tasks;
    private static String slot;

    @BeforeAll
    static void migrate(Infrastructure infrastructure) {
        Flyway.configure().dataSource(infrastructure.dataSource()).load().migrate();
        db = JdbcClient.create(infrastructure.dataSource());
        tasks = new TaskRepository(db);
        slot = "repository_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        db.sql("SELECT pg_create_logical_replication_slot(?, 'test_decoding')").param(slot).query().singleRow();
    }

    @Test
    void shouldInsertAPendingTaskAndPublishTaskScheduled() {
        StoredTask task = insert(null);

        assertThat(task.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(outboxInserts()).anySatisfy(change -> assertThat(change)
                .contains("type[text]:'TaskScheduled'").contains(task.id().toString()));
        assertThat(db.sql("SELECT count(*) FROM outbox").query(Long.class).single()).isZero();
    }

    @Test
    void shouldKeepOneTaskPerIdempotencyKey() {
        String key = "key-" + UUID.randomUUID();
        StoredTask first = insert(key);

        assertThat(tasks.insertPending(UUID.randomUUID(), submission(key))).isEmpty();
        assertThat(tasks.findByIdempotencyKey(key)).map(StoredTask::id).contains(first.id());
    }

    @Test
    void shouldLetOnlyOneClaimOfAnAttemptSucceed() {
        StoredTask task = insert(null);

        assertThat(tasks.claim(task.id(), 1, WORKER)).as("wrong attempt").isEmpty();
        assertThat(tasks.claim(task.id(), 0, WORKER)).map(StoredTask::status).contains(TaskStatus.RUNNING);
        assertThat(tasks.claim(task.id(), 0, "worker-b")).as("second claim").isEmpty();
    }

    @Test
    void shouldRecordAnOutcomeOnlyForTheClaimHolder() {
        StoredTask task = insert(null);
        tasks.claim(task.id(), 0, WORKER);

        assertThat(tasks.markSucceeded(task.id(), 0, "worker-b", null)).isEmpty();
        assertThat(tasks.markSucceeded(task.id(), 0, WORKER, "{\"ok\":true}"))
                .hasValueSatisfying(done -> {
                    assertThat(done.status()).isEqualTo(TaskStatus.SUCCEEDED);
                    assertThat(done.resultJson()).isEqualTo("{\"ok\": true}");
                    assertThat(done.finishedAt()).isNotNull();
                });
    }

    @Test
    void shouldRescheduleARetryThroughTheTrigger() {
        StoredTask task = insert(null);
        tasks.claim(task.id(), 0, WORKER);
        outboxInserts();
        Instant next = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.MILLIS);

        StoredTask retried = tasks.markRetry(task.id(), 0, WORKER, "boom", next).orElseThrow();

        assertThat(retried.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(retried.retryCount()).isEqualTo(1);
        assertThat(retried.runAt()).isEqualTo(next);
        assertThat(retried.workerId()).isNull();
        assertThat(outboxInserts()).singleElement().satisfies(change -> assertThat(change)
                .contains("destination[text]:'tasks.retry'").contains("TaskScheduled").contains("\"attempt\": 1")
                .contains("\"runAt\": " + next.toEpochMilli()));
        assertThat(tasks.findAttempts(task.id())).singleElement().satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo("failed");
            assertThat(attempt.error()).isEqualTo("boom");
            assertThat(attempt.workerId()).isEqualTo(WORKER);
        });
    }

    @Test
    void shouldPublishWhenAnOperatorResetsADeadLetterTaskByHand() {
        StoredTask task = insert(null);
        tasks.claim(task.id(), 0, WORKER);
        tasks.markDeadLetter(task.id(), 0, WORKER, "gave up");
        outboxInserts();

        // The runbook's retry procedure, verbatim apart from the id.
        db.sql("UPDATE tasks SET status = 'pending', retry_count = 0, updated_at = NOW() WHERE id = '"
                + task.id() + "'").update();

        assertThat(outboxInserts()).singleElement().satisfies(change -> assertThat(change)
                .contains("TaskScheduled").contains(task.id().toString()));
    }

    @Test
    void shouldPublishADeadLetterRecordToTheDlq() {
        StoredTask task = insert(null);
        tasks.claim(task.id(), 0, WORKER);
        outboxInserts();

        tasks.markDeadLetter(task.id(), 0, WORKER, "no luck");

        assertThat(outboxInserts()).singleElement().satisfies(change -> assertThat(change)
                .contains("destination[text]:'tasks.dlq'").contains("TaskDeadLettered")
                .contains("\"lastError\": \"no luck\"").contains("\"attempts\": 1"));
    }

    @Test
    void shouldRefuseIllegalTransitionsEvenFromHandWrittenSql() {
        StoredTask task = insert(null);
        tasks.claim(task.id(), 0, WORKER);
        tasks.markSucceeded(task.id(), 0, WORKER, null);

        assertThatThrownBy(() -> db.sql("UPDATE tasks SET status = 'pending' WHERE id = ?").param(task.id()).update())
                .hasMessageContaining("illegal task transition succeeded -> pending");
    }

    @Test
    void shouldKeepTheDatabaseStateMachineEqualToTaskLifecycle() {
        Set<String> inDatabase = Set.copyOf(db.sql("SELECT from_status || '->' || to_status FROM task_status_transitions")
                .query(String.class).list());
        Set<String> inCode = new HashSet<>();
        for (TaskStatus from : TaskStatus.values()) {
            for (TaskStatus to : TaskStatus.values()) {
                if (TaskLifecycle.isAllowed(from, to)) {
                    inCode.add(from.dbValue() + "->" + to.dbValue());
                }
            }
        }

        assertThat(inDatabase).isEqualTo(inCode);
    }

    @Test
    void shouldRescueTheTasksOfAWorkerThatIsGoneAsFailedAttempts() {
        StoredTask lastChance = insert(null);
        StoredTask withRetriesLeft = insert(null);
        String gone = "worker-" + UUID.randomUUID();
        tasks.claim(withRetriesLeft.id(), 0, gone);
        tasks.claim(lastChance.id(), 0, gone);
        tasks.markRetry(lastChance.id(), 0, gone, "first failure", Instant.now());
        tasks.claim(lastChance.id(), 1, gone);

        List<StoredTask> rescued = tasks.rescueWorker(gone, "worker " + gone + " stopped heartbeating");

        assertThat(rescued).extracting(StoredTask::id).containsExactlyInAnyOrder(lastChance.id(), withRetriesLeft.id());
        assertThat(tasks.findById(withRetriesLeft.id())).hasValueSatisfying(task -> {
            assertThat(task.status()).isEqualTo(TaskStatus.PENDING);
            assertThat(task.retryCount()).isEqualTo(1);
        });
        assertThat(tasks.findById(lastChance.id())).map(StoredTask::status).contains(TaskStatus.DEAD_LETTER);
        assertThat(tasks.findAttempts(lastChance.id())).extracting(TaskAttempt::outcome)
                .containsExactly("failed", "failed");
    }

    @Test
    void shouldRecordAHandBackAsAnAbandonedAttemptThatDoesNotCount() {
        StoredTask task = insert(null);
        tasks.claim(task.id(), 0, WORKER);

        StoredTask back = tasks.giveBack(task.id(), 0, WORKER, "worker stopping").orElseThrow();

        assertThat(back.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(back.retryCount()).isZero();
        assertThat(tasks.findAttempts(task.id())).extracting(TaskAttempt::outcome).containsExactly("abandoned");
        assertThat(tasks.claim(task.id(), 0, "worker-b")).isPresent();
    }

    @Test
    void shouldPublishNothingForChangesThatDoNotMakeATaskDue() {
        StoredTask task = insert(null);
        outboxInserts();

        tasks.claim(task.id(), 0, WORKER);
        tasks.markSucceeded(task.id(), 0, WORKER, null);

        assertThat(outboxInserts()).isEmpty();
    }

    private static StoredTask insert(String key) {
        return tasks.insertPending(UUID.randomUUID(), submission(key)).orElseThrow();
    }

    private static ValidSubmission submission(String key) {
        return new ValidSubmission("noop", "{}", Instant.now().plusSeconds(60), 1, Duration.ofMinutes(1),
                RetryPolicy.defaults(), key, "fingerprint", TaskPriority.NORMAL);
    }

    /** Outbox inserts decoded since the last call (consumes them from the slot). */
    private static List<String> outboxInserts() {
        return db.sql("SELECT data FROM pg_logical_slot_get_changes(?, NULL, NULL)")
                .param(slot)
                .query(String.class)
                .list()
                .stream()
                .filter(change -> change.startsWith("table public.outbox: INSERT"))
                .toList();
    }

}
