package dev.taskscheduler.worker.handler.builtin;

import dev.taskscheduler.worker.handler.NonRetryableTaskException;
import dev.taskscheduler.worker.handler.TaskContext;
import dev.taskscheduler.worker.handler.TaskHandler;
import dev.taskscheduler.worker.handler.TaskOutcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Calls an HTTP endpoint. Payload: {@code url} (http or https), optional {@code method} (GET),
 * {@code headers} (object of strings), {@code body} (string, or JSON sent as application/json) and
 * {@code timeoutMs} (default 10 s, at most 5 minutes). A 2xx response succeeds; 5xx, 408 and 429
 * and network errors fail the attempt and are retried; any other status fails the task for good.
 * The result holds the status and the start of the response body.
 */
@Component
class HttpCallHandler implements TaskHandler {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final long MAX_TIMEOUT_MS = 300_000;
    private static final int MAX_BODY_IN_RESULT = 4096;
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
    private static final Set<Integer> RETRYABLE_CLIENT_ERRORS = Set.of(408, 429);

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    @Override
    public String type() {
        return "http";
    }

    @Override
    public TaskOutcome handle(TaskContext context) throws IOException, InterruptedException {
        HttpRequest request = toRequest(context.payload());
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status >= 500 || RETRYABLE_CLIENT_ERRORS.contains(status)) {
            throw new IOException("HTTP " + status + " from " + request.uri());
        }
        if (status >= 300) {
            throw new NonRetryableTaskException("HTTP " + status + " from " + request.uri());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", status);
        String body = response.body();
        result.put("body", body.length() > MAX_BODY_IN_RESULT ? body.substring(0, MAX_BODY_IN_RESULT) : body);
        return TaskOutcome.of(result);
    }

    private static HttpRequest toRequest(JsonNode payload) {
        URI uri = parseUrl(payload.path("url").asString(""));
        String method = payload.path("method").asString("GET").toUpperCase();
        if (!METHODS.contains(method)) {
            throw new NonRetryableTaskException("payload.method must be one of " + METHODS);
        }
        long timeoutMs = payload.path("timeoutMs").asLong(DEFAULT_TIMEOUT.toMillis());
        if (timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
            throw new NonRetryableTaskException("payload.timeoutMs must be from 1 to " + MAX_TIMEOUT_MS);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(timeoutMs));
        payload.path("headers").properties().forEach(header -> builder.header(header.getKey(),
                header.getValue().asString("")));
        JsonNode body = payload.path("body");
        if (body.isMissingNode() || body.isNull()) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else if (body.isString()) {
            builder.method(method, HttpRequest.BodyPublishers.ofString(body.asString()));
        } else {
            builder.header("Content-Type", "application/json");
            builder.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        return builder.build();
    }

    private static URI parseUrl(String url) {
        try {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new NonRetryableTaskException("payload.url must be an http or https URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new NonRetryableTaskException("payload.url is not a valid URL: " + e.getMessage(), e);
        }
    }
}
