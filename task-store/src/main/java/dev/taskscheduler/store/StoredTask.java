package dev.taskscheduler.store;

import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.model.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** One row of the {@code tasks} table. JSON columns are kept as JSON text. */
public record StoredTask(
        UUID id,
        String type,
        String payloadJson,
        TaskStatus status,
        Instant runAt,
        int retryCount,
        int maxRetries,
        String workerId,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt,
        String lastError,
        String resultJson,
        String idempotencyKey,
        String requestFingerprint,
        Duration timeout,
        RetryPolicy retry,
        int replayCount,
        TaskPriority priority) {

    /** Attempts made so far, counting the one running now. */
    public int attemptsUsed() {
        return status == TaskStatus.PENDING ? retryCount : retryCount + 1;
    }
}
