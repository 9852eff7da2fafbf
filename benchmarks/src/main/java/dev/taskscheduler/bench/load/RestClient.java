package dev.taskscheduler.bench.load;

import dev.taskscheduler.model.Json;
import java.io.IOException;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.RequestNotExecutedException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The task API over HTTP/1.1 as a client would call it, asynchronously: a pool of keep-alive
 * connections (opened as needed, up to {@code maxConnections}) served by two I/O threads, so that
 * one generator thread can offer thousands of single requests per second, and closed-loop
 * clients can block on their answer. Every request carries the API key.
 */
public final class RestClient implements AutoCloseable {

    /** An answer: its status and body. */
    public record Response(int status, String body) {
    }

    private static final Timeout TIMEOUT = Timeout.ofSeconds(60);

    private final CloseableHttpAsyncClient http;
    private final URI tasks;
    private final URI batch;
    private final String authorization;

    public RestClient(String apiUrl, String apiKey, int maxConnections) {
        PoolingAsyncClientConnectionManager connections = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnections)
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(10))
                        .setSocketTimeout(TIMEOUT).build())
                .build();
        this.http = HttpAsyncClients.custom()
                .setConnectionManager(connections)
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(2).build())
                // A request waiting for a free connection waits as long as one waiting for its answer.
                .setDefaultRequestConfig(RequestConfig.custom().setConnectionRequestTimeout(TIMEOUT)
                        .setResponseTimeout(TIMEOUT).build())
                .setRetryStrategy(new UnsentRequestRetry())
                .build();
        this.http.start();
        this.tasks = URI.create(apiUrl + "/api/v1/tasks");
        this.batch = URI.create(apiUrl + "/api/v1/tasks/batch");
        this.authorization = "Bearer " + apiKey;
    }

    public Response submit(String json) throws IOException, InterruptedException {
        return await(submitAsync(json));
    }

    public CompletableFuture<Response> submitAsync(String json) {
        return post(tasks, json);
    }

    public Response submitBatch(String json) throws IOException, InterruptedException {
        return await(post(batch, json));
    }

    /** The id of an accepted task, from the 202 answer of the single-task endpoint. */
    public static UUID idOf(Response accepted) {
        return UUID.fromString(Json.mapper().readTree(accepted.body()).path("id").asString());
    }

    private CompletableFuture<Response> post(URI uri, String json) {
        SimpleHttpRequest request = SimpleRequestBuilder.post(uri).setBody(json, ContentType.APPLICATION_JSON)
                .setHeader("Authorization", authorization).build();
        CompletableFuture<Response> answer = new CompletableFuture<>();
        http.execute(request, new FutureCallback<SimpleHttpResponse>() {
            @Override
            public void completed(SimpleHttpResponse response) {
                answer.complete(new Response(response.getCode(), response.getBodyText()));
            }

            @Override
            public void failed(Exception e) {
                answer.completeExceptionally(e);
            }

            @Override
            public void cancelled() {
                answer.completeExceptionally(new CancellationException("request cancelled"));
            }
        });
        return answer;
    }

    private static Response await(CompletableFuture<Response> answer) throws IOException, InterruptedException {
        try {
            return answer.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
    }

    /**
     * Repeats a request only when it never left the client: a pooled keep-alive connection the
     * server had just closed. A POST that reached the server is never repeated (it would submit a
     * second task), and answers are never retried.
     */
    private static final class UnsentRequestRetry extends DefaultHttpRequestRetryStrategy {

        private static final int MAX_RETRIES = 3;

        UnsentRequestRetry() {
            super(MAX_RETRIES, TimeValue.ZERO_MILLISECONDS);
        }

        @Override
        public boolean retryRequest(HttpRequest request, IOException exception, int execCount,
                HttpContext context) {
            return exception instanceof RequestNotExecutedException && execCount <= MAX_RETRIES;
        }

        @Override
        public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
            return false;
        }
    }
}
