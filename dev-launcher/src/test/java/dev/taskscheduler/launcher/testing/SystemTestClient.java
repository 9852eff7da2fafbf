package dev.taskscheduler.launcher.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskscheduler.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Talks to a running system the way its users do: REST for tasks, SQL for what operators see. */
public final class SystemTestClient {

    public static final Duration PIPELINE_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newHttpClient();
    private final String apiUrl;
    private final String apiKey;
    private final JdbcClient db;

    /** @param apiKey sent with every request as its bearer token */
    public SystemTestClient(String apiUrl, String apiKey, JdbcClient db) {
        this.apiUrl = apiUrl;
        this.apiKey = apiKey;
        this.db = db;
    }

    public String apiKey() {
        return apiKey;
    }

    public JdbcClient db() {
        return db;
    }

    public HttpResponse<String> post(String body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + "/api/v1/tasks"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.build());
    }

    /** POSTs JSON to {@code path}. */
    public HttpResponse<String> postJson(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(apiUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** GETs {@code path}. */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(apiUrl + path)).build());
    }

    /** Submits a task and returns its id; fails unless it was accepted. */
    public UUID submit(String body) {
        HttpResponse<String> response = post(body, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return UUID.fromString(json(response).path("id").asString());
    }

    public HttpResponse<String> get(UUID id) {
        return get("/api/v1/tasks/" + id);
    }

    public String status(UUID id) {
        return db.sql("SELECT status FROM tasks WHERE id = ?").param(id).query(String.class).single();
    }

    public void awaitStatus(UUID id, String status) {
        awaitStatus(id, status, PIPELINE_TIMEOUT);
    }

    public void awaitStatus(UUID id, String status, Duration timeout) {
        await().atMost(timeout).untilAsserted(() -> assertThat(status(id)).isEqualTo(status));
    }

    public static JsonNode json(HttpResponse<String> response) {
        return Json.mapper().readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(HttpRequest.newBuilder(request, (name, value) -> true)
                            .header("Authorization", "Bearer " + apiKey).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
