package dev.taskscheduler.taskctl;

import dev.taskscheduler.model.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/** The api-server's REST API, as the command-line tool uses it. Errors become {@link ApiException}. */
final class ApiClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String apiKey;

    /** @param apiKey sent as the bearer token; null sends none (the server then answers 401) */
    ApiClient(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
    }

    JsonNode get(String path, Map<String, Object> query) {
        return send(HttpRequest.newBuilder(uri(path, query)).GET());
    }

    JsonNode post(String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path, Map.of()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : Json.write(body)));
        headers.forEach(request::header);
        return send(request);
    }

    JsonNode delete(String path) {
        return send(HttpRequest.newBuilder(uri(path, Map.of())).DELETE());
    }

    private JsonNode send(HttpRequest.Builder request) {
        request.header("Accept", "application/json, application/problem+json")
                .timeout(Duration.ofSeconds(30));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ApiException("cannot reach the api-server at " + baseUrl
                    + " (set --api-url or TASKCTL_API_URL)");
        } catch (IOException e) {
            throw new ApiException("request to " + baseUrl + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted");
        }
        JsonNode body = response.body().isBlank() ? Json.mapper().nullNode() : parse(response.body());
        if (response.statusCode() == 401 && apiKey == null) {
            throw new ApiException("the api-server needs an API key: set TASKCTL_API_KEY (or --api-key); the dev "
                    + "launcher writes one to local-data/endpoints.env, which taskctl reads from the project folder");
        }
        if (response.statusCode() >= 400) {
            throw ApiException.fromProblem(response.statusCode(), body);
        }
        return body;
    }

    private static JsonNode parse(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (RuntimeException e) {
            return Json.mapper().getNodeFactory().stringNode(text);
        }
    }

    private URI uri(String path, Map<String, Object> query) {
        Map<String, Object> present = new LinkedHashMap<>();
        query.forEach((key, value) -> {
            if (value != null) {
                present.put(key, value);
            }
        });
        String queryString = present.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue().toString(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return URI.create(baseUrl + path + (queryString.isEmpty() ? "" : "?" + queryString));
    }
}
