package dev.taskscheduler.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskscheduler.launcher.testing.TestSystems;
import dev.taskscheduler.model.EventHeaders;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.testsupport.ConsumedRecord;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.KafkaTestConsumer;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * One task's whole life through the four real services on a real broker, PostgreSQL and Redis:
 * ingest (REST or topic) → tasks row + outbox → Debezium relay → task.events → timer store →
 * tasks.ready.default → worker claim → succeeded.
 */
@RealInfrastructure
class TaskLifecycleEndToEndTest {

    private static final Duration PIPELINE_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path stateDir;

    private static TaskSchedulerSystem system;
    private static String apiKey;
    private static JdbcClient db;
    private static KafkaProducer<String, String> producer;
    private static KafkaTestConsumer taskEvents;
    private static KafkaTestConsumer readyTasks;
    private static KafkaTestConsumer invalidSubmissions;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startSystem(Infrastructure infrastructure) {
        // One handler for low-priority tasks: the priority test floods it with a backlog. Schedules
        // firing every 2 s: below the default minimum interval, allowed for this test.
        system = TestSystems.start(infrastructure, stateDir, "--spring.main.banner-mode=off",
                "--scheduler.worker.pools.default.low-concurrency=1", "--scheduler.ingest.schedules.min-interval=1s");
        apiKey = TestSystems.adminKey(system);
        db = JdbcClient.create(infrastructure.dataSource());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                infrastructure.kafkaBootstrapServers()), new StringSerializer(), new StringSerializer());
        taskEvents = infrastructure.consumer(Topics.TASK_EVENTS);
        readyTasks = infrastructure.consumer(Topics.ready("default"));
        invalidSubmissions = infrastructure.consumer(Topics.SUBMISSIONS_INVALID);
    }

    @AfterAll
    static void stopSystem() {
        for (AutoCloseable closeable : new AutoCloseable[] {taskEvents, readyTasks, invalidSubmissions, producer}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void shouldRunATaskSubmittedOverRestThroughEveryStage() throws Exception {
        HttpResponse<String> response = post("{\"type\":\"noop\",\"payload\":{\"hello\":\"world\"}}", null);

        assertThat(response.statusCode()).isEqualTo(202);
        UUID id = UUID.fromString(json(response).path("id").asString());
        assertThat(response.headers().firstValue("Location")).hasValue(system.apiUrl() + "/api/v1/tasks/" + id);

        awaitStatus(id, "succeeded");
        // Every stage left its trace: the relayed event (with its event id) and the released task.
        assertThat(recordsFor(taskEvents, id)).anySatisfy(event -> {
            assertThat(event.header(EventHeaders.EVENT_TYPE)).isEqualTo("TaskScheduled");
            assertThat(event.header(EventHeaders.EVENT_ID)).isNotBlank();
        });
        assertThat(recordsFor(readyTasks, id)).isNotEmpty();
        assertThat(db.sql("SELECT count(*) FROM outbox").query(Long.class).single()).isZero();
        // The worker's change reaches the status cache behind its commit.
        await().atMost(PIPELINE_TIMEOUT).untilAsserted(() -> {
            JsonNode viaApi = json(get(id));
            assertThat(viaApi.path("status").asString()).isEqualTo("succeeded");
            assertThat(viaApi.path("workerId").asString()).isNotBlank();
        });
    }

    @Test
    void shouldRunATaskProducedToTheSubmissionTopicOnceEvenWhenTheRecordIsRepeated() {
        String key = "topic-" + UUID.randomUUID();

        // A producer retry or an upstream replay repeats the record: the key makes it one task.
        producer.send(new ProducerRecord<>(Topics.SUBMISSIONS, key, "{\"type\":\"noop\",\"maxRetries\":1}"));
        producer.send(new ProducerRecord<>(Topics.SUBMISSIONS, key, "{\"type\":\"noop\",\"maxRetries\":1}"));

        await().atMost(PIPELINE_TIMEOUT).untilAsserted(() -> assertThat(
                db.sql("SELECT status FROM tasks WHERE idempotency_key = ?").param(key).query(String.class).list())
                .containsExactly("succeeded"));
    }

    @Test
    void shouldNotStartADelayedTaskBeforeItIsDueAndStartItWithinASecondAfter() throws Exception {
        Instant runAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS);

        UUID id = UUID.fromString(json(post("{\"type\":\"noop\",\"runAt\":\"" + runAt + "\"}", null))
                .path("id").asString());

        awaitStatus(id, "succeeded");
        Map<String, Object> row = db.sql("SELECT run_at, started_at FROM tasks WHERE id = ?").param(id)
                .query().singleRow();
        Instant storedRunAt = ((java.sql.Timestamp) row.get("run_at")).toInstant();
        Instant startedAt = ((java.sql.Timestamp) row.get("started_at")).toInstant();
        assertThat(storedRunAt).isEqualTo(runAt);
        assertThat(startedAt).isAfterOrEqualTo(runAt).isBefore(runAt.plusSeconds(1));
    }

    @Test
    void shouldStartAHighPriorityTaskWithinASecondWhileALowPriorityFloodWaits() throws Exception {
        String flood = "flood-" + UUID.randomUUID();
        // 40 tasks of 250 ms for the pool's one low-priority handler: a 10-second backlog.
        for (int i = 0; i < 40; i++) {
            assertThat(post("{\"type\":\"sleep\",\"priority\":\"low\",\"payload\":{\"millis\":250,\"flood\":\""
                    + flood + "\"}}", null).statusCode()).isEqualTo(202);
        }
        await().atMost(PIPELINE_TIMEOUT).until(() -> countFlood(flood, "status = 'running'") > 0);

        HttpResponse<String> response = post("{\"type\":\"noop\",\"priority\":\"high\"}", null);
        UUID urgent = UUID.fromString(json(response).path("id").asString());
        assertThat(json(response).path("priority").asString()).isEqualTo("high");

        awaitStatus(urgent, "succeeded");
        Map<String, Object> row = db.sql("SELECT run_at, started_at FROM tasks WHERE id = ?").param(urgent)
                .query().singleRow();
        Instant runAt = ((java.sql.Timestamp) row.get("run_at")).toInstant();
        Instant startedAt = ((java.sql.Timestamp) row.get("started_at")).toInstant();
        assertThat(startedAt).isBefore(runAt.plusSeconds(1));
        // It did not wait for the flood: most of the flood started only after it.
        assertThat(countFlood(flood, "(started_at IS NULL OR started_at > '" + startedAt + "')")).isGreaterThan(20);
        try (KafkaTestConsumer highReady = Infrastructure.shared().consumer(Topics.ready("default", TaskPriority.HIGH))) {
            assertThat(recordsFor(highReady, urgent)).hasSize(1);
        }
    }

    private static long countFlood(String flood, String condition) {
        return db.sql("SELECT count(*) FROM tasks WHERE payload->>'flood' = ? AND priority = 'low' AND " + condition)
                .param(flood).query(Long.class).single();
    }

    @Test
    void shouldCreateOneTaskForTwoSubmissionsWithTheSameIdempotencyKey() throws Exception {
        String key = "idem-" + UUID.randomUUID();
        String body = "{\"type\":\"noop\",\"payload\":{\"n\":1}}";

        HttpResponse<String> first = post(body, key);
        HttpResponse<String> second = post(body, key);
        HttpResponse<String> conflicting = post("{\"type\":\"noop\",\"payload\":{\"n\":2}}", key);

        assertThat(json(second).path("id").asString()).isEqualTo(json(first).path("id").asString());
        assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(conflicting.statusCode()).isEqualTo(422);
        assertThat(conflicting.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(db.sql("SELECT count(*) FROM tasks WHERE idempotency_key = ?").param(key)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void shouldDivertAMalformedSubmissionAndKeepConsumingThePartition() {
        String badKey = "bad-" + UUID.randomUUID();
        String goodKey = "good-" + UUID.randomUUID();

        // Same key → same partition: the valid record queues behind the malformed one.
        producer.send(new ProducerRecord<>(Topics.SUBMISSIONS, 0, badKey, "{\"type\": noop"));
        producer.send(new ProducerRecord<>(Topics.SUBMISSIONS, 0, goodKey, "{\"type\":\"noop\"}"));

        await().atMost(PIPELINE_TIMEOUT).untilAsserted(() -> assertThat(
                db.sql("SELECT status FROM tasks WHERE idempotency_key = ?").param(goodKey).query(String.class).list())
                .containsExactly("succeeded"));
        await().atMost(PIPELINE_TIMEOUT).untilAsserted(() -> assertThat(invalidSubmissions.records())
                .filteredOn(record -> badKey.equals(record.key()))
                .singleElement()
                .satisfies(record -> {
                    assertThat(record.value()).isEqualTo("{\"type\": noop");
                    assertThat(record.header(EventHeaders.REJECTION_REASON)).startsWith("malformed JSON");
                    assertThat(record.header(EventHeaders.REJECTION_SOURCE)).startsWith(Topics.SUBMISSIONS + "/0/");
                }));
        assertThat(db.sql("SELECT count(*) FROM tasks WHERE idempotency_key = ?").param(badKey)
                .query(Long.class).single()).isZero();
    }

    @Test
    void shouldStoreTheValidRecordsOfAPollAndDivertOnlyTheInvalidOnes() {
        String first = "mixed-" + UUID.randomUUID();
        String invalid = "mixed-invalid-" + UUID.randomUUID();
        String last = "mixed-" + UUID.randomUUID();

        // One partition, sent together: the three usually arrive in one poll, stored in one transaction.
        producer.send(new ProducerRecord<>(Topics.SUBMISSIONS, 0, first, "{\"type\":\"noop\"}"));
        producer.send(new ProducerRecord<>(Topics.SUBMISSIONS, 0, invalid, "{\"type\":\"noop\",\"maxRetries\":-1}"));
        producer.send(new ProducerRecord<>(Topics.SUBMISSIONS, 0, last, "{\"type\":\"noop\",\"priority\":\"low\"}"));
        producer.flush();

        await().atMost(PIPELINE_TIMEOUT).untilAsserted(() -> assertThat(db.sql(
                        "SELECT idempotency_key || ':' || status || ':' || priority FROM tasks WHERE idempotency_key IN (?, ?, ?)")
                .params(first, invalid, last).query(String.class).list())
                .containsExactlyInAnyOrder(first + ":succeeded:normal", last + ":succeeded:low"));
        await().atMost(PIPELINE_TIMEOUT).untilAsserted(() -> assertThat(invalidSubmissions.records())
                .filteredOn(record -> invalid.equals(record.key()))
                .singleElement()
                .satisfies(record -> assertThat(record.header(EventHeaders.REJECTION_REASON)).contains("maxRetries")));
    }

    @Test
    void shouldRunARescheduledTaskAtItsNewTimeOnce() throws Exception {
        UUID id = UUID.fromString(json(post("{\"type\":\"noop\",\"delay\":\"PT1H\"}", null)).path("id").asString());

        HttpResponse<String> moved = http.send(HttpRequest.newBuilder(
                        URI.create(system.apiUrl() + "/api/v1/tasks/" + id + "/reschedule"))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"delay\":\"PT1S\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        awaitStatus(id, "succeeded");
        assertThat(db.sql("SELECT count(*) FROM task_attempts WHERE task_id = ?").param(id).query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void shouldFireARecurringScheduleAsOneTaskPerFiringUntilPaused() throws Exception {
        HttpResponse<String> invalid = send("POST", "/api/v1/schedules",
                "{\"name\":\"bad\",\"cron\":\"every minute\",\"timeZone\":\"Mars/Olympus\",\"task\":{\"type\":\"noop\"}}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(json(invalid).path("errors").valueStream().map(error -> error.path("field").asString()))
                .containsExactly("timeZone", "cron");

        String name = "every-2s-" + UUID.randomUUID();
        HttpResponse<String> created = send("POST", "/api/v1/schedules",
                "{\"name\":\"" + name + "\",\"cron\":\"*/2 * * * * *\",\"timeZone\":\"UTC\",\"task\":{\"type\":\"noop\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String scheduleId = json(created).path("id").asString();
        String keys = "schedule:" + scheduleId + ":%";

        await().atMost(PIPELINE_TIMEOUT).untilAsserted(() -> assertThat(db.sql(
                "SELECT count(*) FROM tasks WHERE idempotency_key LIKE ? AND status = 'succeeded'").param(keys)
                .query(Long.class).single()).isGreaterThanOrEqualTo(2));
        List<String> firings = db.sql("SELECT idempotency_key FROM tasks WHERE idempotency_key LIKE ?")
                .param(keys).query(String.class).list();
        assertThat(firings).doesNotHaveDuplicates();

        assertThat(send("POST", "/api/v1/schedules/" + scheduleId + "/pause", "").statusCode()).isEqualTo(200);
        // Firings already submitted may still land; after that the count must stay put.
        long afterPause = awaitStableCount(keys);
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> countOf(keys) == afterPause);

        assertThat(send("DELETE", "/api/v1/schedules/" + scheduleId, null).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/api/v1/schedules/" + scheduleId, null).statusCode()).isEqualTo(404);
    }

    private long countOf(String keys) {
        return db.sql("SELECT count(*) FROM tasks WHERE idempotency_key LIKE ?").param(keys).query(Long.class).single();
    }

    /** The count once it has not changed for a second (in-flight firings have landed). */
    private long awaitStableCount(String keys) {
        long[] last = {countOf(keys)};
        await().atMost(PIPELINE_TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            long now = countOf(keys);
            boolean stable = now == last[0];
            last[0] = now;
            return stable;
        });
        return last[0];
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.apiUrl() + path))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitStatus(UUID id, String status) {
        await().atMost(PIPELINE_TIMEOUT).untilAsserted(() -> assertThat(
                db.sql("SELECT status FROM tasks WHERE id = ?").param(id).query(String.class).single())
                .isEqualTo(status));
    }

    private static java.util.List<ConsumedRecord> recordsFor(KafkaTestConsumer consumer, UUID id) {
        await().atMost(PIPELINE_TIMEOUT).until(() -> consumer.records().stream()
                .anyMatch(record -> id.toString().equals(record.key())));
        return consumer.records().stream().filter(record -> id.toString().equals(record.key())).toList();
    }

    private HttpResponse<String> post(String body, String idempotencyKey) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.apiUrl() + "/api/v1/tasks"))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(UUID id) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(system.apiUrl() + "/api/v1/tasks/" + id))
                        .header("Authorization", "Bearer " + apiKey).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.mapper().readTree(response.body());
    }
}
