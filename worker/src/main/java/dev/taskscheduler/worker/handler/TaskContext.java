package dev.taskscheduler.worker.handler;

import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * What a handler knows about the attempt it runs.
 *
 * @param attempt 0 for the first attempt, then 1, 2, … for retries
 */
public record TaskContext(UUID taskId, String type, int attempt, JsonNode payload) {
}
