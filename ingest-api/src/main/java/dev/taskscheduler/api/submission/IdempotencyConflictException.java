package dev.taskscheduler.api.submission;

import java.util.UUID;
import java.util.function.Predicate;

/** The idempotency key was used before for a different request. */
public class IdempotencyConflictException extends RuntimeException {

    private final String key;
    private final UUID existingTaskId;
    private final String existingType;

    public IdempotencyConflictException(String key, UUID existingTaskId, String existingType) {
        super(existingTaskId == null
                ? "Idempotency key '" + key + "' was already used with a different request"
                : "Idempotency key '" + key + "' was already used for task " + existingTaskId
                        + " with a different request");
        this.key = key;
        this.existingTaskId = existingTaskId;
        this.existingType = existingType;
    }

    /** The task that holds the key; null when the caller may not know it. */
    public UUID existingTaskId() {
        return existingTaskId;
    }

    /**
     * This conflict as a caller sees it who reaches the task types {@code reachable} accepts: the
     * task holding the key is named only when its type is within reach.
     */
    public IdempotencyConflictException seenBy(Predicate<String> reachable) {
        return existingTaskId == null || reachable.test(existingType) ? this
                : new IdempotencyConflictException(key, null, null);
    }
}
