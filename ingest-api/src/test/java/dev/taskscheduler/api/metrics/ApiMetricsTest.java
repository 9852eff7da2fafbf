package dev.taskscheduler.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskscheduler.api.RunningApiServer;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.PrometheusText;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What /actuator/prometheus of a real api-server shows: the meters the alert rules are written on. */
@RealInfrastructure
class ApiMetricsTest {

    private static RunningApiServer api;
    private static String baseUrl;
    private static JdbcClient db;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startApi(Infrastructure infrastructure) {
        api = RunningApiServer.start(infrastructure, "--scheduler.ingest.metrics.task-counts-cache-ttl=0s");
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
    void shouldExportEveryMeterTheAlertRulesUse() throws Exception {
        PrometheusText metrics = scrape();

        assertThat(metrics.has("api_requests_total", Map.of("method", "POST"))).isTrue();
        assertThat(metrics.has("api_errors_total", Map.of("method", "POST"))).isTrue();
        assertThat(metrics.has("task_queue_size", Map.of())).isTrue();
        assertThat(metrics.has("task_dlq_size", Map.of())).isTrue();
        for (TaskStatus status : TaskStatus.values()) {
            assertThat(metrics.has("tasks_by_status", Map.of("status", status.dbValue()))).as(status.name()).isTrue();
        }
    }

    @Test
    void shouldCountApiRequestsButNotClientErrorsAsErrors() throws Exception {
        PrometheusText before = scrape();

        assertThat(post("{\"type\":\"noop\",\"delay\":\"PT1H\"}").statusCode()).isEqualTo(202);
        assertThat(post("{\"type\":\"\"}").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/tasks/" + UUID.randomUUID()).statusCode()).isEqualTo(404);

        PrometheusText after = scrape();
        assertThat(delta(before, after, "api_requests_total", "POST")).isEqualTo(2);
        assertThat(delta(before, after, "api_requests_total", "GET")).isEqualTo(1);
        assertThat(after.sum("api_errors_total", Map.of())).isEqualTo(before.sum("api_errors_total", Map.of()));
    }

    @Test
    void shouldExportALatencyHistogramWithABucketAtHalfASecond() throws Exception {
        post("{\"type\":\"noop\",\"delay\":\"PT1H\"}");

        assertThat(scrape().has("http_server_requests_seconds_bucket",
                Map.of("uri", "/api/v1/tasks", "method", "POST", "le", "0.5"))).isTrue();
    }

    @Test
    void shouldCountDueTasksAndTasksByStatusAsPostgresDoes() throws Exception {
        double queued = scrape().value("task_queue_size", Map.of());

        post("{\"type\":\"noop\"}");
        post("{\"type\":\"noop\",\"runAt\":\"" + Instant.now().minus(Duration.ofHours(1)) + "\"}");
        post("{\"type\":\"noop\",\"delay\":\"PT1H\"}"); // pending, but not due: not in the queue

        // Nothing consumes in this test, so the figures hold still and must equal PostgreSQL's.
        PrometheusText metrics = scrape();
        assertThat(metrics.value("task_queue_size", Map.of())).isEqualTo(queued + 2);
        assertThat(metrics.value("task_queue_size", Map.of())).isEqualTo(count(
                "SELECT count(*) FROM tasks WHERE status = 'pending' AND run_at <= now()"));
        for (TaskStatus status : TaskStatus.values()) {
            assertThat(metrics.value("tasks_by_status", Map.of("status", status.dbValue())))
                    .as(status.name()).isEqualTo(count("SELECT count(*) FROM tasks WHERE status = '"
                            + status.dbValue() + "'"));
        }
        assertThat(metrics.value("task_dlq_size", Map.of()))
                .isEqualTo(count("SELECT count(*) FROM tasks WHERE status = 'dead_letter'"));
    }

    @Test
    void shouldCountADeadLetteredTaskInTheDlqSize() throws Exception {
        double before = scrape().value("task_dlq_size", Map.of());
        String id = Json.mapper().readTree(post("{\"type\":\"noop\",\"delay\":\"PT1H\"}").body()).path("id").asString();

        db.sql("UPDATE tasks SET status = 'dead_letter', last_error = 'test' WHERE id = ?::uuid").param(id).update();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(scrape().value("task_dlq_size", Map.of())).isEqualTo(before + 1));
    }

    private static double count(String sql) {
        return db.sql(sql).query(Long.class).single();
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, String method) {
        return after.value(name, Map.of("method", method)) - before.value(name, Map.of("method", method));
    }

    private PrometheusText scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(api.managementUrl() + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return http.send(api.request("/api/v1/tasks")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(api.request(path).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
