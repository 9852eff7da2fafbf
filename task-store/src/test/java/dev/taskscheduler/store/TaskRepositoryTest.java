package dev.taskscheduler.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.model.submission.ValidSubmission;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.time.Instant;
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
                .contains("TaskScheduled").contains("\"attempt\": 1").contains("\"runAt\": " + next.toEpochMilli()));
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
        return new ValidSubmission("noop", "{}", Instant.now().plusSeconds(60), 3, key, "fingerprint");
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
