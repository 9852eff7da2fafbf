package dev.taskscheduler.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskscheduler.model.EventHeaders;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.testsupport.ConsumedRecord;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.KafkaTestConsumer;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Whatever a client sends, the api-server answers with a 2xx or a 4xx problem, never a 5xx; and
 * whatever a producer writes to {@code tasks.submissions}, every record becomes a task or an
 * invalid record with its reason, and the valid records behind it still flow.
 */
class HostileInputTest {

    private static final List<String> SUBMISSION_FIELDS = List.of("type", "payload", "runAt", "delay",
            "maxRetries", "timeout", "retry", "priority", "idempotencyKey");

    private static RunningApiServer api;
    private static JdbcClient db;
    private static KafkaProducer<String, byte[]> producer;
    private static KafkaTestConsumer invalidRecords;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeContainer
    static void start() {
        Infrastructure infrastructure = Infrastructure.shared();
        api = RunningApiServer.start(infrastructure);
        db = JdbcClient.create(infrastructure.dataSource());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                infrastructure.kafkaBootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
        invalidRecords = infrastructure.consumer(Topics.SUBMISSIONS_INVALID);
    }

    @AfterContainer
    static void stop() {
        if (invalidRecords != null) {
            invalidRecords.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Property(tries = 300)
    void aSubmissionIsAcceptedOrRefusedWithAProblem(@ForAll("submissions") String body,
            @ForAll("idempotencyKeys") String idempotencyKey) throws Exception {
        HttpRequest.Builder request = post("/api/v1/tasks", body);
        if (!idempotencyKey.isEmpty()) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        assertAcceptedOrProblem(send(request));
    }

    @Property(tries = 60)
    void aBatchIsAnsweredItemByItemOrRefusedWithAProblem(@ForAll @Size(max = 20) List<@From("submissions") String> items,
            @ForAll("values") String oddTasksValue, @ForAll boolean wellFormed) throws Exception {
        String body = wellFormed ? "{\"tasks\":[" + String.join(",", items) + "]}" : "{\"tasks\":" + oddTasksValue + "}";
        assertAcceptedOrProblem(send(post("/api/v1/tasks/batch", body)));
    }

    @Property(tries = 150)
    void queriesWithAnyParametersAreAnsweredOrRefusedWithAProblem(@ForAll("texts") String status,
            @ForAll("texts") String type, @ForAll("texts") String limit, @ForAll("texts") String before,
            @ForAll("ids") String id, @ForAll("texts") String attempts) throws Exception {
        assertAcceptedOrProblem(send(get("/api/v1/tasks?" + query(Map.of("status", status, "type", type,
                "limit", limit, "before", before)))));
        assertAcceptedOrProblem(send(get("/api/v1/tasks/" + encode(id) + "?" + query(Map.of("attempts", attempts)))));
        assertAcceptedOrProblem(send(get("/api/v1/admin/dlq?" + query(Map.of("type", type, "errorContains", status,
                "after", before, "before", before, "limit", limit)))));
        assertAcceptedOrProblem(send(get("/api/v1/admin/lag?" + query(Map.of("refresh", attempts)))));
    }

    @Property(tries = 150)
    void taskActionsWithAnyInputAreAnsweredOrRefusedWithAProblem(@ForAll("ids") String id,
            @ForAll("rescheduleBodies") String reschedule, @ForAll("texts") String olderThan) throws Exception {
        assertAcceptedOrProblem(send(post("/api/v1/tasks/" + encode(id) + "/cancel", "")));
        assertAcceptedOrProblem(send(post("/api/v1/tasks/" + encode(id) + "/reschedule", reschedule)));
        assertAcceptedOrProblem(send(post("/api/v1/admin/stuck/reset?" + query(Map.of("olderThan", olderThan)), "")));
    }

    /** Paths the security firewall refuses before any controller: an encoded line break, an encoded slash. */
    @Example
    void aPathTheFirewallRefusesIsRefusedWithAProblem() throws Exception {
        for (String path : List.of("/api/v1/tasks/%0A/cancel", "/api/v1/tasks/a%2Fb/cancel",
                "/api/v1/tasks/%0D/cancel")) {
            HttpResponse<String> response = send(post(path, ""));
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertAcceptedOrProblem(response);
        }
    }

    /**
     * A header the firewall refuses: a C1 control character, which Tomcat passes on (as the byte
     * 0x85 read as ISO-8859-1) and the firewall's header rule must stop. Sent over a plain socket,
     * as Java's HTTP client refuses to send such a header.
     */
    @Example
    void aHeaderWithAControlCharacterIsRefusedWithAProblem() throws Exception {
        URI base = URI.create(api.baseUrl());
        byte[] body = "{\"type\":\"noop\"}".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("POST /api/v1/tasks HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n"
                + "Authorization: Bearer " + api.adminKey()).getBytes(StandardCharsets.ISO_8859_1));
        request.write(0x85);
        request.writeBytes("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(body);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.toByteArray());
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: application/problem+json")
                    .contains("request-rejected");
        }
    }

    @Property(tries = 150)
    void replayFiltersOfAnyShapeAreAnsweredOrRefusedWithAProblem(@ForAll("replayBodies") String body) throws Exception {
        assertAcceptedOrProblem(send(post("/api/v1/admin/dlq/replay", body)));
        assertAcceptedOrProblem(send(post("/api/v1/admin/dlq/replay-from-topic", body)));
    }

    @Property(tries = 150)
    void scheduleDefinitionsOfAnyShapeAreAnsweredOrRefusedWithAProblem(@ForAll("scheduleBodies") String body,
            @ForAll("ids") String id) throws Exception {
        assertAcceptedOrProblem(send(post("/api/v1/schedules", body)));
        assertAcceptedOrProblem(send(authorized("/api/v1/schedules/" + encode(id))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body))));
    }

    /**
     * Hostile records, then a valid one, on the submission topic: every hostile record ends as a task
     * or as an invalid record with a reason, and the valid one behind them is stored.
     */
    @Property(tries = 3)
    void hostileRecordsNeverHoldBackTheRecordsBehindThem(
            @ForAll @Size(min = 50, max = 150) List<@From("submissions") String> values) {
        String run = UUID.randomUUID().toString();
        Map<String, String> expectedKeyByRecordKey = new java.util.LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            String recordKey = "hostile-" + run + "-" + i;
            expectedKeyByRecordKey.put(recordKey, idempotencyKeyOf(values.get(i), recordKey));
            producer.send(new ProducerRecord<>(Topics.SUBMISSIONS, recordKey, values.get(i).getBytes(StandardCharsets.UTF_8)));
        }
        String sentinel = "sentinel-" + run;
        producer.send(new ProducerRecord<>(Topics.SUBMISSIONS, sentinel,
                HostileJson.validSubmission().toString().getBytes(StandardCharsets.UTF_8)));
        producer.flush();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(storedKeys(List.of(sentinel))).containsExactly(sentinel);
            Set<String> stored = storedKeys(List.copyOf(expectedKeyByRecordKey.values()));
            Map<String, ConsumedRecord> rejected = invalidRecords.records().stream()
                    .filter(record -> record.key() != null && expectedKeyByRecordKey.containsKey(record.key()))
                    .collect(Collectors.toMap(ConsumedRecord::key, record -> record, (a, b) -> a));
            for (Map.Entry<String, String> expected : expectedKeyByRecordKey.entrySet()) {
                ConsumedRecord rejection = rejected.get(expected.getKey());
                assertThat(stored.contains(expected.getValue()) || rejection != null)
                        .as("record %s became a task or an invalid record: %s", expected.getKey(),
                                abbreviated(values.get(Integer.parseInt(expected.getKey()
                                        .substring(expected.getKey().lastIndexOf('-') + 1)))))
                        .isTrue();
                if (rejection != null) {
                    assertThat(rejection.header(EventHeaders.REJECTION_REASON)).isNotBlank();
                }
            }
        });
    }

    @Provide
    Arbitrary<String> submissions() {
        return HostileJson.submissions();
    }

    @Provide
    Arbitrary<String> texts() {
        return HostileJson.texts();
    }

    @Provide
    Arbitrary<String> values() {
        return HostileJson.values();
    }

    @Provide
    Arbitrary<String> idempotencyKeys() {
        return Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.strings().alpha().numeric().ofMinLength(1)
                .ofMaxLength(300), Arbitraries.of("k", " key ", "x".repeat(201)));
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.oneOf(Arbitraries.create(UUID::randomUUID).map(UUID::toString), HostileJson.texts()
                .filter(text -> !text.isEmpty()));
    }

    @Provide
    Arbitrary<String> rescheduleBodies() {
        return HostileJson.objects(List.of("runAt", "delay"));
    }

    @Provide
    Arbitrary<String> replayBodies() {
        Arbitrary<String> ids = Arbitraries.oneOf(
                Arbitraries.create(UUID::randomUUID).map(id -> "\"" + id + "\"").list().ofMaxSize(3)
                        .map(list -> "[" + String.join(",", list) + "]"),
                Arbitraries.of("[null]", "[\"not-a-uuid\"]", "[1]", "null", "[]", "\"x\""));
        return Arbitraries.oneOf(HostileJson.objects(List.of("taskIds", "type", "errorContains", "deadLetteredAfter",
                        "deadLetteredBefore", "limit", "ratePerSecond", "dryRun")),
                ids.map(list -> "{\"taskIds\":" + list + ",\"dryRun\":true}"));
    }

    @Provide
    Arbitrary<String> scheduleBodies() {
        Arbitrary<String> template = Arbitraries.oneOf(HostileJson.objects(List.of("type", "payload", "maxRetries",
                "priority")), Arbitraries.just("{\"type\":\"noop\"}"));
        Arbitrary<String> cron = Arbitraries.oneOf(HostileJson.values(),
                Arbitraries.of("\"* * * * *\"", "\"*/5 * * * * *\"", "\"0 0 31 2 *\"", "\"61 * * * *\""));
        return net.jqwik.api.Combinators.combine(HostileJson.values(), cron, HostileJson.values(), template,
                        HostileJson.values(), Arbitraries.integers().between(0, 31))
                .as((name, expression, zone, task, misfire, presence) -> {
                    Map<String, String> fields = new java.util.LinkedHashMap<>();
                    put(fields, presence, 1, "name", name);
                    put(fields, presence, 2, "cron", expression);
                    put(fields, presence, 4, "timeZone", zone);
                    put(fields, presence, 8, "task", task);
                    put(fields, presence, 16, "misfirePolicy", misfire);
                    return HostileJson.objectText(fields);
                });
    }

    private static void put(Map<String, String> fields, int presence, int bit, String name, String value) {
        if ((presence & bit) != 0) {
            fields.put(name, value);
        }
    }

    private static void assertAcceptedOrProblem(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("status of %s, body %s", response.request().uri(), response.body())
                .isLessThan(500);
        if (response.statusCode() >= 400) {
            assertThat(response.headers().firstValue("Content-Type").orElse("none"))
                    .as("content type of a %d from %s %s, body %s", response.statusCode(), response.request().method(),
                            response.request().uri(), abbreviated(response.body()))
                    .startsWith("application/problem+json");
        }
    }

    private static String abbreviated(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    private static Set<String> storedKeys(List<String> keys) {
        // A key with a NUL character cannot even be looked up (PostgreSQL text has none); no task has it.
        String[] storable = keys.stream().filter(key -> key.indexOf('\u0000') < 0).toArray(String[]::new);
        return Set.copyOf(db.sql("SELECT idempotency_key FROM tasks WHERE idempotency_key = ANY(?)")
                .param(storable).query(String.class).list());
    }

    /** The key a record's task is stored under: the submission's own idempotencyKey, else the record key. */
    private static String idempotencyKeyOf(String value, String recordKey) {
        try {
            JsonNode node = Json.mapper().readTree(value);
            JsonNode key = node == null ? null : node.get("idempotencyKey");
            return key != null && key.isString() ? key.asString() : recordKey;
        } catch (RuntimeException unreadable) {
            return recordKey;
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder post(String path, String body) {
        return authorized(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpRequest.Builder get(String path) {
        return authorized(path).GET();
    }

    /** With the admin key: every endpoint's own rules are what is tried here, not authentication. */
    private static HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + api.adminKey());
    }

    private static URI uri(String path) {
        return URI.create(api.baseUrl() + path);
    }

    private static String query(Map<String, String> parameters) {
        List<String> pairs = new ArrayList<>();
        parameters.forEach((name, value) -> pairs.add(name + "=" + encode(value)));
        return String.join("&", pairs);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
