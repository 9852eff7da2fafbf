package dev.taskscheduler.api.rest;

import dev.taskscheduler.model.Json;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.taskscheduler.model.RetryPolicy;
import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.store.TaskAttempt;
import java.time.Duration;
import java.util.List;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** A task as the API shows it; {@code attempts} is its execution history, oldest first. */
public record TaskResponse(
        UUID id,
        String type,
        String status,
        String priority,
        JsonNode payload,
        Instant runAt,
        int retryCount,
        int maxRetries,
        String workerId,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt,
        String lastError,
        JsonNode result,
        String idempotencyKey,
        Duration timeout,
        RetryPolicy retry,
        int replayCount,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<TaskAttempt> attempts) {

    public static TaskResponse of(StoredTask task) {
        return of(task, null);
    }

    static TaskResponse of(StoredTask task, List<TaskAttempt> attempts) {
        return new TaskResponse(task.id(), task.type(), task.status().dbValue(), task.priority().value(),
                json(task.payloadJson()),
                task.runAt(), task.retryCount(), task.maxRetries(), task.workerId(), task.createdAt(),
                task.updatedAt(), task.startedAt(), task.finishedAt(), task.lastError(),
                json(task.resultJson()), task.idempotencyKey(), task.timeout(), task.retry(), task.replayCount(),
                attempts);
    }

    private static JsonNode json(String text) {
        return text == null ? null : Json.mapper().readTree(text);
    }
}
