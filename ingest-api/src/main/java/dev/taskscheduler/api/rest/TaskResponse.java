package dev.taskscheduler.api.rest;

import dev.taskscheduler.model.Json;
import dev.taskscheduler.store.StoredTask;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** A task as the API shows it. */
public record TaskResponse(
        UUID id,
        String type,
        String status,
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
        String idempotencyKey) {

    static TaskResponse of(StoredTask task) {
        return new TaskResponse(task.id(), task.type(), task.status().dbValue(), json(task.payloadJson()),
                task.runAt(), task.retryCount(), task.maxRetries(), task.workerId(), task.createdAt(),
                task.updatedAt(), task.startedAt(), task.finishedAt(), task.lastError(),
                json(task.resultJson()), task.idempotencyKey());
    }

    private static JsonNode json(String text) {
        return text == null ? null : Json.mapper().readTree(text);
    }
}
