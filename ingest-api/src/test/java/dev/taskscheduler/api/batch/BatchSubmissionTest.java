package dev.taskscheduler.api.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.api.RunningApiServer;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/v1/tasks/batch} on real PostgreSQL, Redis and Kafka. */
@RealInfrastructure
class BatchSubmissionTest {

    private static final int MAX_SIZE = 5;

    private static RunningApiServer api;
    private static JdbcClient db;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startApi(Infrastructure infrastructure) {
        api = RunningApiServer.start(infrastructure, "--scheduler.ingest.batch.max-size=" + MAX_SIZE);
        db = JdbcClient.create(infrastructure.dataSource());
    }

    @AfterAll
    static void stopApi() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void shouldStoreEveryValidTaskAndRejectOnlyTheInvalidOnesWithTheirProblem() throws Exception {
        String type = uniqueType();
        HttpResponse<String> response = postBatch("""
                {"tasks":[
                  {"type":"%1$s","delay":"PT1H"},
                  {"type":"","maxRetries":-1},
                  null,
                  {"type":"%1$s","delay":"PT2H","maxRetries":7}
                ]}""".formatted(type));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("accepted").asInt()).isEqualTo(2);
        assertThat(body.path("rejected").asInt()).isEqualTo(2);
        List<JsonNode> results = body.path("results").valueStream().toList();
        assertThat(results).extracting(result -> result.path("status").asInt()).containsExactly(202, 400, 400, 202);
        assertThat(results.get(1).path("problem").path("errors").valueStream()
                .map(error -> error.path("field").asString())).containsExactly("type", "maxRetries");
        assertThat(results.get(2).path("problem").path("title").asString()).isEqualTo("Invalid task submission");
        assertThat(db.sql("SELECT id::text FROM tasks WHERE type = ? AND status = 'pending'").param(type)
                .query(String.class).list())
                .containsExactlyInAnyOrder(results.get(0).path("id").asString(), results.get(3).path("id").asString());
    }

    @Test
    void shouldHonourIdempotencyKeysPerTaskWithinAndAcrossBatches() throws Exception {
        String type = uniqueType();
        String key = "batch-" + UUID.randomUUID();
        String first = json(postBatch("""
                {"tasks":[{"type":"%1$s","delay":"PT1H","idempotencyKey":"%2$s"},
                          {"type":"%1$s","delay":"PT1H","idempotencyKey":"%2$s"}]}""".formatted(type, key)))
                .path("results").get(0).path("id").asString();

        List<JsonNode> again = json(postBatch("""
                {"tasks":[{"type":"%1$s","delay":"PT1H","idempotencyKey":"%2$s"},
                          {"type":"%1$s","delay":"PT3H","idempotencyKey":"%2$s"},
                          {"type":"%1$s","delay":"PT1H"}]}""".formatted(type, key)))
                .path("results").valueStream().toList();

        assertThat(again.get(0).path("id").asString()).isEqualTo(first);
        assertThat(again.get(0).path("replayed").asBoolean()).isTrue();
        assertThat(again.get(1).path("status").asInt()).isEqualTo(422);
        assertThat(again.get(1).path("problem").path("existingTaskId").asString()).isEqualTo(first);
        assertThat(again.get(2).path("status").asInt()).isEqualTo(202);
        assertThat(db.sql("SELECT count(*) FROM tasks WHERE type = ?").param(type).query(Long.class).single())
                .isEqualTo(2);
    }

    @Test
    void shouldCommitTheBatchInOneTransaction() throws Exception {
        String type = uniqueType();

        postBatch(batchOf(type, MAX_SIZE));

        // Rows written by one transaction carry its id as xmin.
        assertThat(db.sql("SELECT count(*), count(DISTINCT xmin::text) FROM tasks WHERE type = ?").param(type)
                .query((rs, row) -> List.of(rs.getLong(1), rs.getLong(2))).single())
                .containsExactly((long) MAX_SIZE, 1L);
    }

    @Test
    void shouldRefuseAnEmptyOrOversizedBatchWhole() throws Exception {
        String type = uniqueType();
        HttpResponse<String> empty = postBatch("{\"tasks\":[]}");
        HttpResponse<String> tooLarge = postBatch(batchOf(type, MAX_SIZE + 1));

        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(tooLarge.statusCode()).isEqualTo(400);
        assertThat(json(tooLarge).path("errors").get(0).path("message").asString()).contains("at most " + MAX_SIZE);
        assertThat(db.sql("SELECT count(*) FROM tasks WHERE type = ?").param(type).query(Long.class).single())
                .isZero();
    }

    private static String batchOf(String type, int size) {
        return IntStream.range(0, size).mapToObj(i -> "{\"type\":\"" + type + "\",\"delay\":\"PT1H\"}")
                .collect(Collectors.joining(",", "{\"tasks\":[", "]}"));
    }

    private static String uniqueType() {
        return "batch-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private HttpResponse<String> postBatch(String body) throws Exception {
        return http.send(api.request("/api/v1/tasks/batch")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.mapper().readTree(response.body());
    }
}
