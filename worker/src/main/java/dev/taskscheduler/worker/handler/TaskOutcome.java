package dev.taskscheduler.worker.handler;

import dev.taskscheduler.model.Json;
import tools.jackson.databind.JsonNode;

/** The result a successful attempt records in {@code tasks.result} (a JSON object, or none). */
public record TaskOutcome(JsonNode result) {

    public static TaskOutcome empty() {
        return new TaskOutcome(null);
    }

    public static TaskOutcome of(Object result) {
        return new TaskOutcome(Json.mapper().valueToTree(result));
    }
}
