package dev.taskscheduler.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskscheduler.model.DeadLetterRecord;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.OutboxEvent;
import dev.taskscheduler.model.TaskEvent;
import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.model.submission.ValidSubmission;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import dev.taskscheduler.model.RetryPolicy;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.TaskLifecycle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;

/**
 * The repository's conditional updates and the lifecycle triggers on a real PostgreSQL. The events
 * the triggers emit (logical decoding messages of up to 1,000 events per statement) are read from a logical
 * replication slot with the test_decoding plugin and decoded into the records consumers read
 * ({@link OutboxEvent}, {@link TaskEvent}, {@link DeadLetterRecord}): the contract between the SQL
 * and the code.
 */
@RealInfrastructure
class TaskRepositoryTest {

    private static final String WORKER = "worker-a";
    private static final String EVENT_MESSAGE = "message: transactional: 1 prefix: " + OutboxEvent.MESSAGE_PREFIX;
    private static final TypeReference<List<OutboxEvent>> EVENTS = new TypeReference<>() {
    };
    private static JdbcClient db;
    private static TaskRepository tasks;
    private static TaskClaims claims;
    private static String slot;

    @BeforeAll
    static void migrate(Infrastructure infrastructure) {
        Flyway.configure().dataSource(infrastructure.dataSource()).load().migrate();
        db = JdbcClient.create(infrastructure.dataSource());
        tasks = new TaskRepository(db, TaskChanges.IGNORED);
        claims = new TaskClaims(db, TaskChanges.IGNORED);
        slot = "repository_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        db.sql("SELECT pg_create_logical_replication_slot(?, 'test_decoding')").param(slot).query().singleRow();
    }

    @Test
    void shouldInsertAPendingTaskAndPublishTaskScheduled() {
        StoredTask task = insert(null);

        assertThat(task.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(emittedEvents()).singleElement().satisfies(event -> {
            assertThat(event.topic()).isEqualTo(Topics.TASK_EVENTS);
            assertThat(event.type()).isEqualTo(TaskEvent.SCHEDULED);
            assertThat(event.key()).isEqualTo(task.id().toString());
            assertThat(event.id()).isNotNull();
            TaskEvent scheduled = Json.mapper().treeToValue(event.payload(), TaskEvent.class);
            assertThat(scheduled.taskId()).isEqualTo(task.id());
            assertThat(scheduled.type()).isEqualTo("noop");
            assertThat(scheduled.attempt()).isZero();
            assertThat(scheduled.runAt()).isEqualTo(task.runAt().toEpochMilli());
            assertThat(scheduled.priority()).isEqualTo(TaskPriority.NORMAL);
            assertThat(scheduled.version()).isPositive();
        });
        assertThat(db.sql("SELECT count(*) FROM outbox").query(Long.class).single()).isZero();
    }

    @Test
    void shouldCarryATaskTypeThatJsonMustEscapeUnchangedInItsEvent() {
        // The events are JSON text built in SQL; a type is the client's text.
        String type = "quote\" backslash\\ slash/ newline\n tab\t bell\u0007 \u00e9\u4e2d \ud83d\ude80 {\"x\":[1]}";
        emittedEvents();
        StoredTask task = tasks.insertPendingAll(List.of(new TaskRepository.NewTask(UUID.randomUUID(),
                submission(type, null)))).get(0);

        assertThat(emittedEvents()).singleElement().satisfies(event -> {
            assertThat(event.key()).isEqualTo(task.id().toString());
            assertThat(Json.mapper().treeToValue(event.payload(), TaskEvent.class).type()).isEqualTo(type);
        });
    }

    @Test
    void shouldKeepOneTaskPerIdempotencyKey() {
        String key = "key-" + UUID.randomUUID();
        StoredTask first = insert(key);

        assertThat(tasks.insertPendingAll(List.of(new TaskRepository.NewTask(UUID.randomUUID(), submission(key)))))
                .isEmpty();
        assertThat(tasks.findByIdempotencyKeys(List.of(key))).extractingByKey(key).extracting(StoredTask::id)
                .isEqualTo(first.id());
    }

    @Test
    void shouldLetOnlyOneClaimOfAnAttemptSucceed() {
        StoredTask task = insert(null);

        assertThat(claim(task, 1, WORKER)).as("wrong attempt").isEmpty();
        assertThat(claim(task, 0, WORKER)).map(StoredTask::status).contains(TaskStatus.RUNNING);
        assertThat(claim(task, 0, "worker-b")).as("second claim").isEmpty();
    }

    @Test
    void shouldRecordAnOutcomeOnlyForTheClaimHolder() {
        StoredTask task = insert(null);
        claim(task, 0, WORKER);

        assertThat(record("worker-b", new AttemptOutcome.Succeeded(task.id(), 0, null, null))).isEmpty();
        assertThat(record(WORKER, new AttemptOutcome.Succeeded(task.id(), 0, "{\"ok\":true}", null)))
                .hasValueSatisfying(done -> {
                    assertThat(done.status()).isEqualTo(TaskStatus.SUCCEEDED);
                    assertThat(done.resultJson()).isEqualTo("{\"ok\": true}");
                    assertThat(done.finishedAt()).isNotNull();
                });
    }

    @Test
    void shouldRescheduleARetryThroughTheTrigger() {
        StoredTask task = insert(null);
        claim(task, 0, WORKER);
        emittedEvents();
        StoredTask retried = record(WORKER, new AttemptOutcome.Retry(task.id(), 0, "boom", Duration.ofSeconds(30), false))
                .orElseThrow();

        // Due the backoff after the failure was written, both on the database's clock.
        Instant next = retried.finishedAt().plusSeconds(30);
        assertThat(retried.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(retried.retryCount()).isEqualTo(1);
        assertThat(retried.runAt()).isEqualTo(next);
        assertThat(tasks.findById(task.id()).orElseThrow().runAt()).isEqualTo(next);
        assertThat(retried.workerId()).isNull();
        assertThat(emittedEvents()).singleElement().satisfies(event -> {
            assertThat(event.topic()).isEqualTo(Topics.RETRY);
            assertThat(event.type()).isEqualTo(TaskEvent.SCHEDULED);
            TaskEvent retry = Json.mapper().treeToValue(event.payload(), TaskEvent.class);
            assertThat(retry.attempt()).isEqualTo(1);
            assertThat(retry.runAt()).isEqualTo(dueMillis(next));
        });
        assertThat(tasks.findAttempts(task.id())).singleElement().satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo("failed");
            assertThat(attempt.error()).isEqualTo("boom");
            assertThat(attempt.workerId()).isEqualTo(WORKER);
        });
    }

    @Test
    void shouldPublishWhenAnOperatorResetsADeadLetterTaskByHand() {
        StoredTask task = insert(null);
        claim(task, 0, WORKER);
        record(WORKER, new AttemptOutcome.DeadLetter(task.id(), 0, "gave up"));
        emittedEvents();

        // The runbook's retry procedure, verbatim apart from the id.
        db.sql("UPDATE tasks SET status = 'pending', retry_count = 0, updated_at = NOW() WHERE id = '"
                + task.id() + "'").update();

        assertThat(emittedEvents()).singleElement().satisfies(event -> {
            assertThat(event.topic()).isEqualTo(Topics.TASK_EVENTS);
            assertThat(event.type()).isEqualTo(TaskEvent.SCHEDULED);
            assertThat(Json.mapper().treeToValue(event.payload(), TaskEvent.class).taskId()).isEqualTo(task.id());
        });
    }

    @Test
    void shouldPublishADeadLetterRecordToTheDlq() {
        StoredTask task = insert(null);
        claim(task, 0, WORKER);
        emittedEvents();

        record(WORKER, new AttemptOutcome.DeadLetter(task.id(), 0, "no luck"));

        assertThat(emittedEvents()).singleElement().satisfies(event -> {
            assertThat(event.topic()).isEqualTo(Topics.DLQ);
            assertThat(event.type()).isEqualTo(DeadLetterRecord.DEAD_LETTERED);
            DeadLetterRecord dead = Json.mapper().treeToValue(event.payload(), DeadLetterRecord.class);
            assertThat(dead.taskId()).isEqualTo(task.id());
            assertThat(dead.type()).isEqualTo("noop");
            assertThat(dead.lastError()).isEqualTo("no luck");
            assertThat(dead.attempts()).isEqualTo(1);
            assertThat(dead.maxRetries()).isEqualTo(1);
            assertThat(dead.lastWorkerId()).isEqualTo(WORKER);
            assertThat(dead.payload().isObject()).isTrue();
            assertThat(dead.createdAt()).isNotNull();
            assertThat(dead.deadLetteredAt()).isNotNull();
        });
    }

    @Test
    void shouldRefuseIllegalTransitionsEvenFromHandWrittenSql() {
        StoredTask task = insert(null);
        claim(task, 0, WORKER);
        record(WORKER, new AttemptOutcome.Succeeded(task.id(), 0, null, null));

        assertThatThrownBy(() -> db.sql("UPDATE tasks SET status = 'pending' WHERE id = ?").param(task.id()).update())
                .hasMessageContaining("illegal task transition succeeded -> pending");
    }

    @Test
    void shouldRefuseAStatementWithOneIllegalTransitionAmongManyLegalOnes() {
        List<UUID> pending = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            pending.add(insert(null).id());
        }
        StoredTask done = insert(null);
        claim(done, 0, WORKER);
        record(WORKER, new AttemptOutcome.Succeeded(done.id(), 0, null, null));
        List<UUID> all = new ArrayList<>(pending);
        all.add(100, done.id());

        assertThatThrownBy(() -> db.sql("UPDATE tasks SET status = 'cancelled' WHERE id = ANY(?)")
                .param(all.toArray(UUID[]::new)).update())
                .hasMessageContaining("illegal task transition succeeded -> cancelled for task " + done.id());
        assertThat(db.sql("SELECT count(*) FROM tasks WHERE id = ANY(?) AND status = 'pending'")
                .param(pending.toArray(UUID[]::new)).query(Integer.class).single()).isEqualTo(pending.size());
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
        claim(withRetriesLeft, 0, gone);
        claim(lastChance, 0, gone);
        record(gone, new AttemptOutcome.Retry(lastChance.id(), 0, "first failure", Duration.ZERO, false));
        claim(lastChance, 1, gone);

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

    /** A task that takes its worker down must not take the next one down at once too. */
    @Test
    void shouldDueARescuedTaskAfterItsBackoff() {
        StoredTask task = insert(null);
        String gone = "worker-" + UUID.randomUUID();
        claim(task, 0, gone);

        Instant before = Instant.now();
        StoredTask rescued = tasks.rescueWorker(gone, "worker gone").get(0);

        // submission(): backoff 1 s doubling; the failed attempt was the first.
        assertThat(rescued.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(rescued.runAt()).isBetween(before.plusMillis(900), before.plusSeconds(5));
    }

    @Test
    void shouldPublishALongOverdueTaskAgainOnceAndNotTouchOthers() {
        StoredTask overdue = insert(null);
        StoredTask due = insert(null);
        db.sql("UPDATE tasks SET run_at = now() - interval '10 minutes' WHERE id = ?").param(overdue.id()).update();
        db.sql("UPDATE tasks SET updated_at = now() - interval '10 minutes' WHERE id = ?").param(overdue.id()).update();
        emittedEvents();

        int first = tasks.republishOverdue(Duration.ofMinutes(5), 1000);
        int second = tasks.republishOverdue(Duration.ofMinutes(5), 1000);

        assertThat(first).isGreaterThanOrEqualTo(1);
        assertThat(second).isZero();
        assertThat(emittedEvents()).filteredOn(event -> event.key().equals(overdue.id().toString()))
                .singleElement().satisfies(event -> {
                    assertThat(event.topic()).isEqualTo(Topics.TASK_EVENTS);
                    assertThat(event.type()).isEqualTo(TaskEvent.SCHEDULED);
                });
        assertThat(tasks.findById(due.id()).orElseThrow().updatedAt()).isEqualTo(due.updatedAt());
    }

    @Test
    void shouldRecordAHandBackAsAnAbandonedAttemptThatDoesNotCount() {
        StoredTask task = insert(null);
        claim(task, 0, WORKER);

        StoredTask back = record(WORKER, new AttemptOutcome.GiveBack(task.id(), 0, "worker stopping")).orElseThrow();

        assertThat(back.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(back.retryCount()).isZero();
        assertThat(tasks.findAttempts(task.id())).extracting(TaskAttempt::outcome).containsExactly("abandoned");
        assertThat(claim(back, 0, "worker-b")).isPresent();
    }

    @Test
    void shouldPublishNothingForChangesThatDoNotMakeATaskDue() {
        StoredTask task = insert(null);
        emittedEvents();

        claim(task, 0, WORKER);
        record(WORKER, new AttemptOutcome.Succeeded(task.id(), 0, null, null));

        assertThat(emittedEvents()).isEmpty();
    }

    @Test
    void shouldEmitTheEventsOfALargeStatementInMessagesOfAtMostAThousand() {
        emittedMessages();
        List<StoredTask> inserted = tasks.insertPendingAll(IntStream.range(0, 2_500)
                .mapToObj(i -> new TaskRepository.NewTask(UUID.randomUUID(), submission(null))).toList());
        assertThat(emittedMessages()).extracting(List::size).containsExactlyInAnyOrder(1_000, 1_000, 500);

        // The runbook's republish of every pending task, by hand, over the same rows.
        db.sql("UPDATE tasks SET run_at = run_at + interval '1 millisecond' WHERE id = ANY (?)")
                .param(inserted.stream().map(StoredTask::id).toArray(UUID[]::new)).update();

        List<List<OutboxEvent>> messages = emittedMessages();
        assertThat(messages).extracting(List::size).containsExactlyInAnyOrder(1_000, 1_000, 500);
        assertThat(messages.stream().flatMap(List::stream).map(OutboxEvent::key))
                .containsExactlyInAnyOrderElementsOf(inserted.stream().map(task -> task.id().toString()).toList());
    }

    private static StoredTask insert(String key) {
        return tasks.insertPendingAll(List.of(new TaskRepository.NewTask(UUID.randomUUID(), submission(key))))
                .get(0);
    }

    /** Claims the task's current release (its due time as stored) at {@code attempt}. */
    private static Optional<StoredTask> claim(StoredTask task, int attempt, String worker) {
        Instant due = tasks.findById(task.id()).orElseThrow().runAt();
        return claims.claim(worker, List.of(new TaskClaims.Release(task.id(), attempt, dueMillis(due))))
                .stream().findFirst();
    }

    /** Writes one outcome; the task as it reads afterwards, if the write took. */
    private static Optional<StoredTask> record(String worker, AttemptOutcome outcome) {
        StoredTask claimed = tasks.findById(outcome.taskId()).orElseThrow();
        return claims.record(worker, List.of(new TaskClaims.Finished(claimed, outcome))).contains(outcome.taskId())
                ? tasks.findById(outcome.taskId()) : Optional.empty();
    }

    private static long dueMillis(Instant due) {
        return db.sql("SELECT task_due_millis(?)").param(java.sql.Timestamp.from(due)).query(Long.class).single();
    }

    private static ValidSubmission submission(String key) {
        return submission("noop", key);
    }

    private static ValidSubmission submission(String type, String key) {
        return new ValidSubmission(type, "{}", Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.MILLIS), 1, Duration.ofMinutes(1),
                RetryPolicy.defaults(), key, "fingerprint", TaskPriority.NORMAL);
    }

    /** Events emitted since the last call (consumes them from the slot), in the order emitted. */
    private static List<OutboxEvent> emittedEvents() {
        return emittedMessages().stream().flatMap(List::stream).toList();
    }

    /** The event messages emitted since the last call (consumes them from the slot), each with its events. */
    private static List<List<OutboxEvent>> emittedMessages() {
        return db.sql("SELECT data FROM pg_logical_slot_get_changes(?, NULL, NULL)")
                .param(slot)
                .query(String.class)
                .list()
                .stream()
                .filter(change -> change.startsWith(EVENT_MESSAGE))
                .map(change -> change.substring(change.indexOf("content:") + "content:".length()))
                .map(content -> Json.mapper().readValue(content, EVENTS))
                .toList();
    }

}
