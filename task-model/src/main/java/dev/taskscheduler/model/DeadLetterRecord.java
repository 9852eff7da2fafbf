package dev.taskscheduler.model;

import java.time.OffsetDateTime;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * The value of a {@code TaskDeadLettered} record on {@link Topics#DLQ}: enough to understand and
 * replay the task even after its row is gone.
 *
 * @param attempts       attempts made ({@code retry_count + 1})
 * @param replayCount    how often it had been taken out of the dead-letter queue before
 * @param lastWorkerId   the worker of the last attempt, if any
 * @param version        orders the task's events, as in {@link TaskEvent}
 */
public record DeadLetterRecord(
        UUID taskId,
        String type,
        JsonNode payload,
        TaskPriority priority,
        int attempts,
        int maxRetries,
        int replayCount,
        String lastError,
        String lastWorkerId,
        OffsetDateTime createdAt,
        OffsetDateTime deadLetteredAt,
        long version) {

    public static final String DEAD_LETTERED = "TaskDeadLettered";

    public DeadLetterRecord {
        priority = priority == null ? TaskPriority.NORMAL : priority;
    }
}
