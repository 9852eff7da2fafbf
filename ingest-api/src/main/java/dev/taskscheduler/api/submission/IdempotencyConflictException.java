package dev.taskscheduler.api.submission;

import java.util.UUID;

/** The idempotency key was used before for a different request. */
public class IdempotencyConflictException extends RuntimeException {

    private final UUID existingTaskId;

    public IdempotencyConflictException(String key, UUID existingTaskId) {
        super("Idempotency key '" + key + "' was already used for task " + existingTaskId
                + " with a different request");
        this.existingTaskId = existingTaskId;
    }

    public UUID existingTaskId() {
        return existingTaskId;
    }
}
