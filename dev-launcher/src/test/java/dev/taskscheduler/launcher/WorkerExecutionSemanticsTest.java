package dev.taskscheduler.launcher;

import static dev.taskscheduler.launcher.testing.SystemTestClient.PIPELINE_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskscheduler.launcher.testing.ChildWorker;
import dev.taskscheduler.launcher.testing.SystemTestClient;
import dev.taskscheduler.launcher.testing.TestHandlers;
import dev.taskscheduler.launcher.testing.TestSystems;
import dev.taskscheduler.model.EventHeaders;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.ReadyTask;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.testsupport.ConsumedRecord;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.KafkaTestConsumer;
import dev.taskscheduler.testsupport.RealInfrastructure;
import dev.taskscheduler.worker.WorkerApplication;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * How workers behave when handlers fail, workers die and records repeat, on the whole real system.
 * Heartbeats and rescues run on a short clock here; the lease is long so that the runbook's manual
 * stuck-task procedure is what recovers the task in that test.
 */
@RealInfrastructure
class WorkerExecutionSemanticsTest {

    private static final String[] SYSTEM_ARGS = {
        "--spring.main.banner-mode=off",
        "--spring.main.sources=" + TestHandlers.class.getName(),
        "--scheduler.worker.heartbeat.interval=500ms",
        "--scheduler.worker.heartbeat.ttl=2s",
        "--scheduler.worker.rescue.interval=500ms",
        "--scheduler.worker.rescue.lease=2h",
        "--scheduler.worker.limits.limited.max-concurrency=2",
        "--scheduler.worker.limit-deferral=200ms",
        "--scheduler.worker.shutdown-grace=2s",
        "--scheduler.timers.pools.crash=crashpool",
        "--scheduler.timers.pools.slow-once=slowpool",
        // Released to a pool nobody reads: such tasks run only when a test releases them by hand.
        "--scheduler.timers.pools." + TestHandlers.RELEASED_BY_HAND + "=unread",
        "--spring.kafka.consumer.properties.session.timeout.ms=6000",
        "--spring.kafka.consumer.properties.heartbeat.interval.ms=2000",
    };

    @TempDir
    static Path stateDir;

    private static Infrastructure infrastructure;
    private static TaskSchedulerSystem system;
    private static SystemTestClient client;
    private static JdbcClient db;
    private static KafkaProducer<String, String> producer;
    private static KafkaTestConsumer dlq;

    @BeforeAll
    static void startSystem(Infrastructure shared) {
        infrastructure = shared;
        system = TestSystems.start(shared, stateDir, SYSTEM_ARGS);
        db = JdbcClient.create(shared.dataSource());
        client = new SystemTestClient(system.apiUrl(), TestSystems.adminKey(system), db);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                shared.kafkaBootstrapServers()), new StringSerializer(), new StringSerializer());
        dlq = shared.consumer(Topics.DLQ);
    }

    @AfterAll
    static void stopSystem() {
        if (dlq != null) {
            dlq.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void shouldRetryWithBackoffUntilTheHandlerSucceeds() {
        UUID id = client.submit("""
                {"type":"flaky","payload":{"failures":2},"maxRetries":3,
                 "retry":{"initialDelay":"PT0.5S","multiplier":2.0,"maxDelay":"PT10S"}}""");

        client.awaitStatus(id, "succeeded");

        assertThat(db.sql("SELECT retry_count FROM tasks WHERE id = ?").param(id).query(Integer.class).single())
                .isEqualTo(2);
        List<Map<String, Object>> attempts = attempts(id);
        assertThat(attempts).extracting(row -> row.get("outcome")).containsExactly("failed", "failed", "succeeded");
        // Gap = backoff (0.5 s, then 1 s, each ±20 % jitter) plus the trip through outbox, relay and scheduler.
        assertGap(attempts.get(0), attempts.get(1), Duration.ofMillis(500));
        assertGap(attempts.get(1), attempts.get(2), Duration.ofMillis(1000));
        assertThat(SystemTestClient.json(client.get(id)).path("attempts")).hasSize(3);
    }

    @Test
    void shouldDeadLetterAfterTheLastAttemptWithExactlyOneDlqRecord() {
        UUID id = client.submit("""
                {"type":"always-fails","maxRetries":2,"retry":{"initialDelay":"PT0.1S","maxDelay":"PT0.1S"}}""");

        client.awaitStatus(id, "dead_letter");

        assertThat(attempts(id)).hasSize(3).allSatisfy(attempt -> assertThat(attempt.get("outcome")).isEqualTo("failed"));
        assertThat(TestHandlers.EXECUTIONS.get(id)).hasValue(3);
        List<ConsumedRecord> records = awaitDlqRecords(id);
        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.header(EventHeaders.EVENT_TYPE)).isEqualTo("TaskDeadLettered");
            assertThat(Json.mapper().readTree(record.value()).path("attempts").asInt()).isEqualTo(3);
            assertThat(Json.mapper().readTree(record.value()).path("lastError").asString()).contains("always fails");
        });
    }

    @Test
    void shouldDeadLetterANonRetryableErrorAfterOneAttempt() {
        UUID id = client.submit("{\"type\":\"rejects\",\"maxRetries\":5}");

        client.awaitStatus(id, "dead_letter");

        assertThat(attempts(id)).hasSize(1);
        assertThat(awaitDlqRecords(id)).hasSize(1);
    }

    @Test
    void shouldDeadLetterATaskTypeNoHandlerServesOnTheFirstAttempt() {
        UUID id = client.submit("{\"type\":\"no-such-handler\",\"maxRetries\":5}");

        client.awaitStatus(id, "dead_letter");

        assertThat(db.sql("SELECT last_error FROM tasks WHERE id = ?").param(id).query(String.class).single())
                .contains("No handler for task type 'no-such-handler'");
        assertThat(awaitDlqRecords(id)).hasSize(1);
    }

    @Test
    void shouldRunAReadyRecordDeliveredThreeTimesOnce() {
        Instant runAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UUID id = client.submit("{\"type\":\"" + TestHandlers.RELEASED_BY_HAND + "\",\"runAt\":\"" + runAt + "\"}");
        String ready = releaseOf(id, runAt);

        for (int i = 0; i < 3; i++) {
            producer.send(new ProducerRecord<>(Topics.ready("default"), id.toString(), ready));
        }

        client.awaitStatus(id, "succeeded");
        await().pollDelay(Duration.ofSeconds(1)).atMost(PIPELINE_TIMEOUT).untilAsserted(() ->
                assertThat(TestHandlers.EXECUTIONS.get(id)).hasValue(1));
        assertThat(attempts(id)).hasSize(1);
    }

    /**
     * Workers read the ready topics uncommitted: a release whose transaction aborts (a scheduler
     * that crashed mid-commit) runs its task, and the same release sent again after the abort
     * claims nothing.
     */
    @Test
    void shouldRunATaskOnceFromAnAbortedReleaseAndIgnoreTheReleaseSentAgain() {
        Instant runAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UUID id = client.submit("{\"type\":\"" + TestHandlers.RELEASED_BY_HAND + "\",\"runAt\":\"" + runAt + "\"}");
        String ready = releaseOf(id, runAt);
        try (KafkaProducer<String, String> scheduler = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "aborting-scheduler-" + id),
                new StringSerializer(), new StringSerializer())) {
            scheduler.initTransactions();
            scheduler.beginTransaction();
            scheduler.send(new ProducerRecord<>(Topics.ready("default"), id.toString(), ready));
            scheduler.flush();
            scheduler.abortTransaction();
        }

        client.awaitStatus(id, "succeeded");
        // On one partition, so the witness's run shows the release sent again was read before it.
        producer.send(new ProducerRecord<>(Topics.ready("default"), 0, id.toString(), ready));
        UUID witness = client.submit("{\"type\":\"" + TestHandlers.RELEASED_BY_HAND + "\",\"runAt\":\"" + runAt + "\"}");
        producer.send(new ProducerRecord<>(Topics.ready("default"), 0, witness.toString(), releaseOf(witness, runAt)));

        client.awaitStatus(witness, "succeeded");
        assertThat(TestHandlers.EXECUTIONS.get(id)).hasValue(1);
        assertThat(attempts(id)).hasSize(1);
    }

    /** A release made for a due time the task no longer has (rescheduled since) must not run it early. */
    @Test
    void shouldNotRunATaskOnAReleaseForItsOldDueTime() {
        Instant runAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UUID id = client.submit("{\"type\":\"" + TestHandlers.RELEASED_BY_HAND + "\",\"runAt\":\"" + runAt + "\"}");
        assertThat(client.postJson("/api/v1/tasks/" + id + "/reschedule", "{\"delay\":\"PT1H\"}").statusCode())
                .isEqualTo(200);
        String stale = releaseOf(id, runAt);
        UUID witness = client.submit("{\"type\":\"" + TestHandlers.RELEASED_BY_HAND + "\",\"runAt\":\"" + runAt + "\"}");

        producer.send(new ProducerRecord<>(Topics.ready("default"), 0, id.toString(), stale));
        producer.send(new ProducerRecord<>(Topics.ready("default"), 0, witness.toString(), releaseOf(witness, runAt)));

        client.awaitStatus(witness, "succeeded");
        assertThat(db.sql("SELECT status FROM tasks WHERE id = ?").param(id).query(String.class).single())
                .isEqualTo("pending");
        assertThat(TestHandlers.EXECUTIONS.get(id)).isNull();
    }

    @Test
    void shouldRunATaskWhoseReadyRecordArrivedBeforeItsRowWasVisible() throws Exception {
        // The relay can decode an insert a moment before its transaction is visible to others: the
        // row is inserted here in a transaction that stays open until the worker has the record.
        // The pool's consumers are assigned and polling once a task has run.
        client.awaitStatus(client.submit("{\"type\":\"noop\"}"), "succeeded");
        UUID id = UUID.randomUUID();
        Instant runAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        double claimsWithoutRow = claimsWithoutRow();
        try (Connection connection = infrastructure.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            // Released to a pool nobody reads: only the early record can make it run.
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO tasks (id, type, status, run_at) VALUES (?, ?, 'pending', ?)")) {
                insert.setObject(1, id);
                insert.setString(2, TestHandlers.RELEASED_BY_HAND);
                insert.setTimestamp(3, Timestamp.from(runAt));
                insert.executeUpdate();
            }
            producer.send(new ProducerRecord<>(Topics.ready("default"), id.toString(), releaseOf(id, runAt))).get();
            // The worker holds the record and looks for the row.
            await().atMost(PIPELINE_TIMEOUT).until(() -> claimsWithoutRow() > claimsWithoutRow);
            connection.commit();
        }

        client.awaitStatus(id, "succeeded");
        assertThat(TestHandlers.EXECUTIONS.get(id)).hasValue(1);
    }

    /** The ready record the scheduler would release for a task due at {@code runAt}. */
    private static String releaseOf(UUID id, Instant runAt) {
        return Json.write(new ReadyTask(id, TestHandlers.RELEASED_BY_HAND, 0, runAt.toEpochMilli(),
                Instant.now().toEpochMilli(), TaskPriority.NORMAL));
    }

    private static double claimsWithoutRow() {
        return system.context("worker").getBean(MeterRegistry.class).get("worker_claims_without_row").counter().count();
    }

    @Test
    void shouldSendAnUnreadableReadyRecordToTheDlqAndKeepConsuming() {
        String garbageKey = "garbage-" + UUID.randomUUID();
        Instant runAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UUID next = client.submit("{\"type\":\"" + TestHandlers.RELEASED_BY_HAND + "\",\"runAt\":\"" + runAt + "\"}");

        producer.send(new ProducerRecord<>(Topics.ready("default"), 0, garbageKey, "not json"));
        producer.send(new ProducerRecord<>(Topics.ready("default"), 0, next.toString(), releaseOf(next, runAt)));

        client.awaitStatus(next, "succeeded");
        await().atMost(PIPELINE_TIMEOUT).untilAsserted(() -> assertThat(dlq.records())
                .filteredOn(record -> garbageKey.equals(record.key()))
                .singleElement()
                .satisfies(record -> assertThat(record.header(EventHeaders.REJECTION_REASON))
                        .startsWith("unreadable ready record")));
    }

    /**
     * The child worker has one handler. Nine tasks come due at the same instant, so it polls them
     * together: it runs some, then hangs in one, while the rest wait in its consumer's buffer,
     * released to it but never claimed. After its SIGKILL every one of them runs elsewhere.
     */
    @Test
    void shouldRunTheTasksOfAWorkerKilledMidTaskElsewhereAndLoseNone() throws Exception {
        Process child = startChildWorker();
        ConfigurableApplicationContext replacement = null;
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> db.sql(
                    "SELECT count(*) FROM worker_heartbeats WHERE worker_id = 'child-worker'").query(Long.class).single() == 1);
            String runAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS).toString();
            UUID hanging = client.submit("{\"type\":\"crash\",\"runAt\":\"" + runAt + "\",\"payload\":{\"hang\":true}}");
            List<UUID> others = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                others.add(client.submit("{\"type\":\"crash\",\"runAt\":\"" + runAt + "\",\"payload\":{\"millis\":200}}"));
            }
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(
                    db.sql("SELECT worker_id FROM tasks WHERE id = ? AND status = 'running'").param(hanging)
                            .query(String.class).list()).containsExactly("child-worker"));
            // Nothing else runs while the child hangs; long enough for any automatic offset commit.
            long finished = succeeded(others);
            await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).until(() -> succeeded(others) == finished);

            child.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no goodbye
            Instant killed = Instant.now();
            replacement = startWorker("--scheduler.worker.pools.crashpool.concurrency=2",
                    "--scheduler.worker.id=replacement-worker");

            client.awaitStatus(hanging, "succeeded", Duration.ofSeconds(60));
            System.out.printf("Task of the killed worker succeeded %d ms after the kill (%d of the others had run)%n",
                    Duration.between(killed, Instant.now()).toMillis(), finished);
            for (UUID other : others) {
                client.awaitStatus(other, "succeeded", Duration.ofSeconds(60));
            }
            assertThat(attempts(hanging)).extracting(row -> row.get("outcome")).containsExactly("failed", "succeeded");
            assertThat(attempts(hanging).get(0).get("error").toString()).contains("child-worker stopped heartbeating");
        } finally {
            child.destroyForcibly();
            if (replacement != null) {
                replacement.close();
            }
        }
    }

    /**
     * A worker frozen (SIGSTOP) past its consumer session finds, once it wakes, that the group gave
     * its partitions away: it drops what it had buffered, commits nothing for them, and goes on
     * consuming the partitions it is given again.
     */
    @Test
    void shouldKeepConsumingAfterAFreezeOutlastedItsConsumerSession() throws Exception {
        Process child = startChildWorker();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                infrastructure.kafkaBootstrapServers()))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> db.sql(
                    "SELECT count(*) FROM worker_heartbeats WHERE worker_id = 'child-worker'").query(Long.class).single() == 1);
            UUID before = client.submit("{\"type\":\"crash\",\"payload\":{\"millis\":50}}");
            client.awaitStatus(before, "succeeded", Duration.ofSeconds(60));

            signal(child, "STOP");
            try {
                // Frozen until the group has expired every consumer of the child (6 s sessions).
                await().atMost(Duration.ofSeconds(60)).until(() -> admin.describeConsumerGroups(List.of("worker-crashpool"))
                        .all().get().get("worker-crashpool").members().isEmpty());
            } finally {
                signal(child, "CONT");
            }

            List<UUID> after = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                after.add(client.submit("{\"type\":\"crash\",\"payload\":{\"millis\":50}}"));
            }
            for (UUID id : after) {
                client.awaitStatus(id, "succeeded", Duration.ofSeconds(60));
                assertThat(db.sql("SELECT worker_id FROM tasks WHERE id = ?").param(id).query(String.class).single())
                        .isEqualTo("child-worker");
            }
            assertThat(Files.readString(Path.of("target/child-worker.log"))).contains("Lost partitions");
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    private static void signal(Process process, String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor())
                .isZero();
    }

    private static long succeeded(List<UUID> ids) {
        return ids.stream().filter(id -> "succeeded".equals(status(id))).count();
    }

    /**
     * A worker whose Redis key keeps vanishing (Redis flushed, restarted, or out of its reach) but
     * which stamps its heartbeat in PostgreSQL is alive: its running task is not rescued onto
     * another attempt while it runs.
     */
    @Test
    void shouldNotRescueALiveWorkerWhoseRedisKeyIsGone() {
        UUID id = client.submit("{\"type\":\"counted\",\"payload\":{\"millis\":4000}}");
        await().atMost(PIPELINE_TIMEOUT).until(() -> "running".equals(status(id)));
        StringRedisTemplate redis = system.context("worker").getBean(StringRedisTemplate.class);

        // Longer than the heartbeat TTL (2 s) and several rescue sweeps (every 500 ms).
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> {
            Set<String> keys = redis.keys("worker:heartbeat:*");
            if (keys != null && !keys.isEmpty()) {
                redis.delete(keys);
            }
            return "running".equals(status(id));
        });

        client.awaitStatus(id, "succeeded");
        assertThat(attempts(id)).hasSize(1);
        assertThat(TestHandlers.EXECUTIONS.get(id)).hasValue(1);
    }

    private static String status(UUID id) {
        return db.sql("SELECT status FROM tasks WHERE id = ?").param(id).query(String.class).single();
    }

    @Test
    void shouldHandBackALongTaskAndFinishAShortOneWhenAWorkerStops() {
        ConfigurableApplicationContext first = startWorker("--scheduler.worker.pools.slowpool.concurrency=1",
                "--scheduler.worker.id=stopping-worker");
        UUID longTask = client.submit("{\"type\":\"slow-once\",\"payload\":{\"millis\":60000}}");
        client.awaitStatus(longTask, "running");

        first.close(); // what SIGTERM does; the shutdown grace is 2 s here

        assertThat(client.status(longTask)).isEqualTo("pending");
        assertThat(attempts(longTask)).extracting(row -> row.get("outcome")).containsExactly("abandoned");
        assertThat(system.context("worker").getBean(StringRedisTemplate.class)
                .hasKey("worker:heartbeat:stopping-worker")).isFalse();

        ConfigurableApplicationContext second = startWorker("--scheduler.worker.pools.slowpool.concurrency=1");
        client.awaitStatus(longTask, "succeeded");
        assertThat(attempts(longTask)).extracting(row -> row.get("outcome")).containsExactly("abandoned", "succeeded");

        UUID shortTask = client.submit("{\"type\":\"slow-once\",\"payload\":{\"millis\":1000}}");
        client.awaitStatus(shortTask, "running");
        second.close();
        assertThat(client.status(shortTask)).isEqualTo("succeeded");
    }

    @Test
    void shouldNeverRunMoreTasksOfALimitedTypeAtOnceThanItsLimitAcrossWorkers() {
        List<ConfigurableApplicationContext> extraWorkers = List.of(startWorker(), startWorker());
        TestHandlers.resetLimitedMost();
        try {
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ids.add(client.submit("{\"type\":\"limited\",\"payload\":{\"millis\":300}}"));
            }
            for (UUID id : ids) {
                client.awaitStatus(id, "succeeded", Duration.ofSeconds(90));
            }

            // Counted in the handlers themselves: an attempt's row closes when its outcome batch is
            // written, a moment after the handler returned and gave its slot to the next task.
            int most = TestHandlers.LIMITED_MOST.get();
            System.out.printf("Most 'limited' handlers running at once over 3 workers: %d%n", most);
            assertThat(most).isBetween(1, 2);
        } finally {
            extraWorkers.forEach(ConfigurableApplicationContext::close);
        }
    }

    @Test
    void shouldRunAStuckTaskAgainAfterTheRunbooksResetRunVerbatim() {
        UUID id = client.submit("{\"type\":\"counted\",\"delay\":\"PT1H\"}");
        // A worker that hangs while alive: its heartbeat is fresh, its task's lease is 31 minutes old.
        system.context("worker").getBean(StringRedisTemplate.class)
                .opsForValue().set("worker:heartbeat:hung-worker", "alive", Duration.ofMinutes(5));
        db.sql("""
                UPDATE tasks SET status = 'running', worker_id = 'hung-worker', started_at = now() - interval '31 minutes',
                       run_at = now() - interval '31 minutes', updated_at = now() - interval '31 minutes'
                 WHERE id = ?""").param(id).update();

        assertThat(db.sql("SELECT * FROM tasks WHERE status = 'running' AND updated_at < NOW() - INTERVAL '30 minutes';")
                .query().listOfRows()).extracting(row -> row.get("id")).containsExactly(id);

        db.sql("UPDATE tasks SET status = 'pending', worker_id = NULL WHERE status = 'running' "
                + "AND updated_at < NOW() - INTERVAL '30 minutes';").update();

        client.awaitStatus(id, "succeeded");
        assertThat(attempts(id)).extracting(row -> row.get("outcome")).containsExactly("abandoned", "succeeded");
    }

    @Test
    void shouldRunADeadLetterTaskAgainAfterTheRunbooksRetryRunVerbatim() {
        UUID id = client.submit("{\"type\":\"fails-once\",\"maxRetries\":0}");
        client.awaitStatus(id, "dead_letter");
        assertThat(db.sql("SELECT * FROM tasks WHERE status = 'dead_letter' LIMIT 5;").query().listOfRows())
                .isNotEmpty().allSatisfy(row -> assertThat(row.get("status")).isEqualTo("dead_letter"));

        db.sql("UPDATE tasks SET status = 'pending', retry_count = 0, updated_at = NOW() WHERE id = '" + id + "';")
                .update();

        client.awaitStatus(id, "succeeded");
        assertThat(attempts(id)).extracting(row -> row.get("outcome")).containsExactly("failed", "succeeded");
    }

    @Test
    void shouldRunExactlyTheReplayedDeadLettersAgain() {
        List<UUID> replayable = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            replayable.add(client.submit("{\"type\":\"fails-once\",\"maxRetries\":0}"));
        }
        UUID untouched = client.submit("{\"type\":\"always-fails\",\"maxRetries\":0}");
        replayable.forEach(id -> client.awaitStatus(id, "dead_letter"));
        client.awaitStatus(untouched, "dead_letter");

        var response = client.postJson("/api/v1/admin/dlq/replay",
                "{\"taskIds\":" + Json.write(replayable) + ",\"ratePerSecond\":20}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(SystemTestClient.json(response).path("replayed").asInt()).isEqualTo(5);
        replayable.forEach(id -> client.awaitStatus(id, "succeeded"));
        replayable.forEach(id -> assertThat(TestHandlers.EXECUTIONS.get(id)).hasValue(2));
        assertThat(client.status(untouched)).isEqualTo("dead_letter");
        assertThat(TestHandlers.EXECUTIONS.get(untouched)).hasValue(1);
        assertThat(db.sql("SELECT replay_count FROM tasks WHERE id = ?").param(replayable.get(0))
                .query(Integer.class).single()).isEqualTo(1);
        assertThat(db.sql("SELECT requested_by FROM dlq_replays WHERE id = ?")
                .param(SystemTestClient.json(response).path("replayId").asLong()).query(String.class).single())
                .startsWith("key:test-admin-");
    }

    @Test
    void shouldReplayADeadLetterWhoseRowIsGoneFromTheDlqTopicOnce() {
        UUID id = client.submit("{\"type\":\"always-fails\",\"maxRetries\":0,\"payload\":{\"order\":42}}");
        client.awaitStatus(id, "dead_letter");
        awaitDlqRecords(id);
        db.sql("DELETE FROM tasks WHERE id = ?").param(id).update(); // purged, or lost in a restore

        String body = "{\"taskIds\":[\"" + id + "\"]}";
        var first = client.postJson("/api/v1/admin/dlq/replay-from-topic", body);
        var second = client.postJson("/api/v1/admin/dlq/replay-from-topic", body);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(SystemTestClient.json(first).path("createdTaskIds")).hasSize(1);
        assertThat(SystemTestClient.json(second).path("matched").asInt()).as("the row is gone still").isEqualTo(1);
        List<Map<String, Object>> replayed = db.sql(
                "SELECT id, type, payload::text AS payload FROM tasks WHERE idempotency_key = ?")
                .param("dlq-topic-replay:" + id).query().listOfRows();
        assertThat(replayed).singleElement().satisfies(row -> {
            assertThat(row.get("type")).isEqualTo("always-fails");
            assertThat(row.get("payload").toString()).contains("\"order\": 42");
        });
        UUID replayedId = (UUID) replayed.get(0).get("id");
        client.awaitStatus(replayedId, "dead_letter");
        assertThat(attempts(replayedId)).hasSize(1);
    }

    @Test
    void shouldRefuseAnHttpTaskAimedAtTheWorkersOwnMetricsAndRecordWhy() {
        UUID id = client.submit("{\"type\":\"http\",\"maxRetries\":3,\"payload\":{\"url\":\""
                + system.metricsUrl("worker") + "\"}}");

        client.awaitStatus(id, "dead_letter");

        assertThat(attempts(id)).singleElement().satisfies(attempt -> assertThat(attempt.get("error").toString())
                .contains("destination refused").contains("localhost resolves to").contains("a loopback address"));
        assertThat(db.sql("SELECT result IS NULL FROM tasks WHERE id = ?").param(id).query(Boolean.class).single())
                .isTrue();
    }

    @Test
    void shouldNeverRunACancelledTask() {
        UUID id = client.submit("{\"type\":\"counted\",\"delay\":\"PT2S\"}");

        assertThat(client.postJson("/api/v1/tasks/" + id + "/cancel", "").statusCode()).isEqualTo(200);

        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> "cancelled".equals(client.status(id)) && !TestHandlers.EXECUTIONS.containsKey(id));
    }

    private static List<Map<String, Object>> attempts(UUID id) {
        return db.sql("SELECT attempt, outcome, error, started_at, finished_at FROM all_task_attempts "
                + "WHERE task_id = ? ORDER BY started_at").param(id).query().listOfRows();
    }

    private static void assertGap(Map<String, Object> earlier, Map<String, Object> later, Duration backoff) {
        Instant failedAt = ((Timestamp) earlier.get("finished_at")).toInstant();
        Instant nextStart = ((Timestamp) later.get("started_at")).toInstant();
        Duration gap = Duration.between(failedAt, nextStart);
        assertThat(gap).isGreaterThanOrEqualTo(backoff.multipliedBy(8).dividedBy(10))
                .isLessThan(backoff.multipliedBy(12).dividedBy(10).plusSeconds(1));
    }

    private static List<ConsumedRecord> awaitDlqRecords(UUID id) {
        await().atMost(PIPELINE_TIMEOUT).until(() -> dlq.records().stream().anyMatch(r -> id.toString().equals(r.key())));
        return dlq.records().stream().filter(record -> id.toString().equals(record.key())).toList();
    }

    private static ConfigurableApplicationContext startWorker(String... args) {
        String[] all = Stream.of(infrastructure.springArguments(), SYSTEM_ARGS,
                        new String[] {"--server.port=0", "--management.server.port=0"}, args)
                .flatMap(Stream::of).toArray(String[]::new);
        return WorkerApplication.builder().registerShutdownHook(false).run(all);
    }

    private static Process startChildWorker() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), ChildWorker.class.getName()));
        command.addAll(List.of(infrastructure.springArguments()));
        command.addAll(List.of(SYSTEM_ARGS));
        command.addAll(List.of("--server.port=0", "--management.server.port=0", "--scheduler.worker.id=child-worker",
                "--scheduler.worker.pools.crashpool.concurrency=1"));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(new File("target/child-worker.log"))
                .start();
    }
}
