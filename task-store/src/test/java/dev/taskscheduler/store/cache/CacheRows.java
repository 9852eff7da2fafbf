package dev.taskscheduler.store.cache;

import dev.taskscheduler.model.RetryPolicy;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.store.StoredTask;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Task rows for the cache's tests: only the id, the status and the version matter to the cache. */
final class CacheRows {

    private CacheRows() {
    }

    /** A noop task's row at version {@code updatedAt}. */
    static StoredTask row(UUID id, TaskStatus status, Instant updatedAt) {
        return new StoredTask(id, "noop", "{}", status, updatedAt, 0, 3, null, updatedAt, updatedAt, null, null, null,
                null, null, "fingerprint", Duration.ofMinutes(1), RetryPolicy.defaults(), 0, TaskPriority.NORMAL);
    }

    /** A later (or earlier) version of the same task's row. */
    static StoredTask withStatus(StoredTask t, TaskStatus status, Instant updatedAt) {
        return new StoredTask(t.id(), t.type(), t.payloadJson(), status, t.runAt(), t.retryCount(), t.maxRetries(),
                t.workerId(), t.createdAt(), updatedAt, t.startedAt(), t.finishedAt(), t.lastError(), t.resultJson(),
                t.idempotencyKey(), t.requestFingerprint(), t.timeout(), t.retry(), t.replayCount(), t.priority());
    }
}
