package dev.taskscheduler.model.submission;

import dev.taskscheduler.model.RetryPolicy;
import dev.taskscheduler.model.TaskPriority;
import java.time.Duration;
import java.time.Instant;

/**
 * A submission that passed validation, with its due time and defaults resolved.
 *
 * @param fingerprint hash of what the client asked for; the same idempotency key with a different
 *                    fingerprint is a conflict. Null when there is no idempotency key.
 */
public record ValidSubmission(
        String type,
        String payloadJson,
        Instant runAt,
        int maxRetries,
        Duration timeout,
        RetryPolicy retry,
        String idempotencyKey,
        String fingerprint,
        TaskPriority priority) {
}
