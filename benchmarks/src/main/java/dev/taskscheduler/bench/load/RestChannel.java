package dev.taskscheduler.bench.load;

import dev.taskscheduler.bench.measure.TaskLookup;
import java.util.concurrent.CompletableFuture;

/** Noop tasks over {@code POST /api/v1/tasks}, one per request; the handle is the answered task id. */
public final class RestChannel implements Channel {

    private final RestClient rest;

    public RestChannel(RestClient rest) {
        this.rest = rest;
    }

    @Override
    public String name() {
        return "REST";
    }

    @Override
    public TaskLookup lookup() {
        return TaskLookup.BY_ID;
    }

    @Override
    public CompletableFuture<String> send(long sequence) {
        return rest.submitAsync(Submissions.noopNow(sequence)).thenApply(response -> {
            if (response.status() != 202) {
                throw new IllegalStateException("HTTP " + response.status() + ": " + response.body());
            }
            return RestClient.idOf(response).toString();
        });
    }

    @Override
    public void close() {
        // the client is shared and closed by its owner
    }
}
