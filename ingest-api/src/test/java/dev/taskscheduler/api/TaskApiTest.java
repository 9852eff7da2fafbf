package dev.taskscheduler.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskscheduler.model.Json;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The api-server alone on real PostgreSQL, Redis and Kafka: HTTP contract and error handling. */
@RealInfrastructure
class TaskApiTest {

    private static RunningApiServer api;
    private static String baseUrl;
    private static JdbcClient db;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startApi(Infrastructure infrastructure) {
        api = RunningApiServer.start(infrastructure);
        baseUrl = api.baseUrl();
        db = JdbcClient.create(infrastructure.dataSource());
    }

    @AfterAll
    static void stopApi() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void shouldStoreAnAcceptedTaskAsPending() throws Exception {
        HttpResponse<String> response = post("{\"type\":\"noop\",\"delay\":\"PT1H\",\"maxRetries\":7}");

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode task = json(response);
        assertThat(task.path("status").asString()).isEqualTo("pending");
        assertThat(db.sql("SELECT status, max_retries FROM tasks WHERE id = ?::uuid")
                .param(task.path("id").asString()).query().singleRow())
                .containsEntry("status", "pending").containsEntry("max_retries", 7);
    }

    @Test
    void shouldAnswerProblemDetailsNamingEveryInvalidField() throws Exception {
        HttpResponse<String> response = post("{\"type\":\"\",\"payload\":[1],\"runAt\":\"soon\",\"maxRetries\":-1}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.path("title").asString()).isEqualTo("Invalid task submission");
        assertThat(problem.path("errors").valueStream().map(error -> error.path("field").asString()))
                .containsExactly("type", "payload", "runAt", "maxRetries");
    }

    @Test
    void shouldNameTheFieldOfAWrongJsonType() throws Exception {
        HttpResponse<String> response = post("{\"type\":\"noop\",\"maxRetries\":\"many\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("errors").get(0).path("field").asString()).isEqualTo("maxRetries");
    }

    @Test
    void shouldRefuseANumberWhereTextIsExpected() throws Exception {
        HttpResponse<String> response = post("{\"type\":\"noop\",\"delay\":30}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("errors").get(0).path("field").asString()).isEqualTo("delay");
    }

    @Test
    void shouldRejectMalformedJsonWithoutAServerError() throws Exception {
        HttpResponse<String> response = post("{\"type\":");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("title").asString()).isEqualTo("Malformed request body");
    }

    @Test
    void shouldAnswer404ForAnUnknownTaskAnd400ForABadId() throws Exception {
        assertThat(get("/api/v1/tasks/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/tasks/not-a-uuid").statusCode()).isEqualTo(400);
    }

    @Test
    void shouldReadTheStatusFromRedisFirstAndFromPostgresWhenRedisMissesIt() throws Exception {
        String id = json(post("{\"type\":\"noop\",\"delay\":\"PT1H\"}")).path("id").asString();
        // A new task's entry is written behind the commit.
        StringRedisTemplate redis = api.context().getBean(StringRedisTemplate.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> redis.hasKey("task:" + id));
        // Change the row behind the cache's back: the API keeps answering from Redis...
        db.sql("UPDATE tasks SET max_retries = 42 WHERE id = ?::uuid").param(id).update();
        assertThat(json(get("/api/v1/tasks/" + id)).path("maxRetries").asInt()).isEqualTo(3);

        // ...until the entry is gone, then reads PostgreSQL.
        redis.delete("task:" + id);
        assertThat(json(get("/api/v1/tasks/" + id)).path("maxRetries").asInt()).isEqualTo(42);
    }

    @Test
    void shouldCancelAPendingTaskOnceAndRefuseASecondCancel() throws Exception {
        String id = json(post("{\"type\":\"noop\",\"delay\":\"PT1H\"}")).path("id").asString();

        HttpResponse<String> cancelled = postTo("/api/v1/tasks/" + id + "/cancel", "");
        HttpResponse<String> again = postTo("/api/v1/tasks/" + id + "/cancel", "");

        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(json(cancelled).path("status").asString()).isEqualTo("cancelled");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).path("status").asInt()).isEqualTo(409);
        assertThat(json(again).path("taskStatus").asString()).isEqualTo("cancelled");
    }

    @Test
    void shouldRescheduleOnlyAPendingTaskAndNameABadTime() throws Exception {
        String id = json(post("{\"type\":\"noop\",\"delay\":\"PT1H\"}")).path("id").asString();

        HttpResponse<String> badTime = postTo("/api/v1/tasks/" + id + "/reschedule", "{\"delay\":\"later\"}");
        HttpResponse<String> moved = postTo("/api/v1/tasks/" + id + "/reschedule", "{\"delay\":\"PT2H\"}");
        postTo("/api/v1/tasks/" + id + "/cancel", "");
        HttpResponse<String> tooLate = postTo("/api/v1/tasks/" + id + "/reschedule", "{\"delay\":\"PT1M\"}");

        assertThat(badTime.statusCode()).isEqualTo(400);
        assertThat(json(badTime).path("errors").get(0).path("field").asString()).isEqualTo("delay");
        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(java.time.Instant.parse(json(moved).path("runAt").asString()))
                .isAfter(java.time.Instant.now().plus(java.time.Duration.ofMinutes(110)));
        assertThat(tooLate.statusCode()).isEqualTo(409);
    }

    @Test
    void shouldListTasksByStatusAndType() throws Exception {
        String type = "listed-" + UUID.randomUUID().toString().substring(0, 8);
        String id = json(post("{\"type\":\"" + type + "\",\"delay\":\"PT1H\"}")).path("id").asString();

        JsonNode listed = json(get("/api/v1/tasks?status=pending&type=" + type));

        assertThat(listed.valueStream().map(task -> task.path("id").asString())).containsExactly(id);
        assertThat(get("/api/v1/tasks?status=finished").statusCode()).isEqualTo(400);
    }

    @Test
    void shouldFindTheTaskOfAnIdempotencyKey() throws Exception {
        String type = "keyed-" + UUID.randomUUID().toString().substring(0, 8);
        String key = "order-" + UUID.randomUUID();
        String id = json(post("{\"type\":\"" + type + "\",\"delay\":\"PT1H\"}", "Idempotency-Key", key))
                .path("id").asString();
        json(post("{\"type\":\"" + type + "\",\"delay\":\"PT1H\"}"));

        JsonNode found = json(get("/api/v1/tasks?idempotencyKey=" + key));
        JsonNode unknown = json(get("/api/v1/tasks?idempotencyKey=other-" + key));
        JsonNode otherStatus = json(get("/api/v1/tasks?status=running&idempotencyKey=" + key));

        assertThat(found.valueStream().map(task -> task.path("id").asString())).containsExactly(id);
        assertThat(unknown.valueStream()).isEmpty();
        assertThat(otherStatus.valueStream()).isEmpty();
    }

    @Test
    void shouldCountADryRunReplayAndAuditIt() throws Exception {
        String type = "dry-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            String id = json(post("{\"type\":\"" + type + "\",\"delay\":\"PT1H\"}")).path("id").asString();
            db.sql("UPDATE tasks SET status = 'dead_letter', last_error = 'boom' WHERE id = ?::uuid").param(id).update();
        }

        JsonNode result = json(postTo("/api/v1/admin/dlq/replay", "{\"type\":\"" + type + "\",\"dryRun\":true}"));

        assertThat(result.path("matched").asInt()).isEqualTo(3);
        assertThat(result.path("replayed").asInt()).isZero();
        assertThat(db.sql("SELECT count(*) FROM tasks WHERE type = ? AND status = 'dead_letter'").param(type)
                .query(Long.class).single()).isEqualTo(3);
        assertThat(db.sql("SELECT dry_run FROM dlq_replays WHERE id = ?").param(result.path("replayId").asLong())
                .query(Boolean.class).single()).isTrue();
    }

    @Test
    void shouldRefuseAReplayWithoutAnyCriterion() throws Exception {
        HttpResponse<String> response = postTo("/api/v1/admin/dlq/replay", "{}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("errors").get(0).path("field").asString()).isEqualTo("taskIds");
    }

    @Test
    void shouldPublishAnOpenApiDocument() throws Exception {
        HttpResponse<String> response = get("/api/v1/openapi");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("paths").has("/api/v1/tasks")).isTrue();
    }

    /** @param headers further request headers, as name and value pairs */
    private HttpResponse<String> post(String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = api.request("/api/v1/tasks").header("Content-Type", "application/json");
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postTo(String path, String body) throws IOException, InterruptedException {
        return http.send(api.request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(api.request(path).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.mapper().readTree(response.body());
    }
}
