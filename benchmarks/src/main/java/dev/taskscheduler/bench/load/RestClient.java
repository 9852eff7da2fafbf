package dev.taskscheduler.bench.load;

import dev.taskscheduler.model.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/** The task API over java.net.http, as any client would call it, authenticated with an API key. */
public final class RestClient {

    private final HttpClient http;
    private final URI tasks;
    private final URI batch;
    private final String authorization;

    public RestClient(String apiUrl, String apiKey, int threads) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(threads, runnable -> {
                    Thread thread = new Thread(runnable, "rest-client");
                    thread.setDaemon(true);
                    return thread;
                }))
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.tasks = URI.create(apiUrl + "/api/v1/tasks");
        this.batch = URI.create(apiUrl + "/api/v1/tasks/batch");
        this.authorization = "Bearer " + apiKey;
    }

    public HttpResponse<String> submit(String json) throws Exception {
        return http.send(request(tasks, json), HttpResponse.BodyHandlers.ofString());
    }

    public CompletableFuture<HttpResponse<String>> submitAsync(String json) {
        return http.sendAsync(request(tasks, json), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> submitBatch(String json) throws Exception {
        return http.send(request(batch, json), HttpResponse.BodyHandlers.ofString());
    }

    /** The id of an accepted task, from the 202 answer of the single-task endpoint. */
    public static UUID idOf(HttpResponse<String> accepted) {
        return UUID.fromString(Json.mapper().readTree(accepted.body()).path("id").asString());
    }

    private HttpRequest request(URI uri, String json) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }
}
