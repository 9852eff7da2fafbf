package dev.taskscheduler.store.cache;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.taskscheduler.model.RetryPolicy;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.store.StoredTask;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A task row as the status cache stores it, after the entry's version. Every task passes through
 * Redis, where each byte of an entry is held in memory and written to the append-only file once per
 * write (and again at every rewrite), so the entry is kept short: one- or two-letter names, nothing
 * null, times as microseconds since 1970 (PostgreSQL's precision, so nothing is lost), and neither
 * the id (the key holds it) nor {@code updated_at} (the version holds it).
 *
 * <p>An entry written by an older version, with the row's full names, lacks the fields this one
 * requires, so reading it fails ({@code MismatchedInputException}) and the cache counts a miss.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record CachedRow(
        @JsonProperty(value = "t", required = true) String type,
        @JsonProperty("p") String payloadJson,
        @JsonProperty(value = "s", required = true) String status,
        @JsonProperty(value = "r", required = true) long runAt,
        @JsonProperty("rc") int retryCount,
        @JsonProperty("mr") int maxRetries,
        @JsonProperty("w") String workerId,
        @JsonProperty(value = "c", required = true) long createdAt,
        @JsonProperty("b") Long startedAt,
        @JsonProperty("f") Long finishedAt,
        @JsonProperty("e") String lastError,
        @JsonProperty("o") String resultJson,
        @JsonProperty("k") String idempotencyKey,
        @JsonProperty("h") String requestFingerprint,
        @JsonProperty("to") Duration timeout,
        @JsonProperty("ri") Duration retryInitialDelay,
        @JsonProperty("rm") double retryMultiplier,
        @JsonProperty("rx") Duration retryMaxDelay,
        @JsonProperty("rp") int replayCount,
        @JsonProperty("pr") String priority) {

    static CachedRow of(StoredTask task) {
        RetryPolicy retry = task.retry();
        return new CachedRow(task.type(), task.payloadJson(), task.status().dbValue(), micros(task.runAt()),
                task.retryCount(), task.maxRetries(), task.workerId(), micros(task.createdAt()),
                micros(task.startedAt()), micros(task.finishedAt()), task.lastError(), task.resultJson(),
                task.idempotencyKey(), task.requestFingerprint(), task.timeout(), retry.initialDelay(),
                retry.multiplier(), retry.maxDelay(), task.replayCount(), task.priority().value());
    }

    /** The row of task {@code id} at version {@code updatedAt}. */
    StoredTask toRow(UUID id, Instant updatedAt) {
        return new StoredTask(id, type, payloadJson, TaskStatus.fromDbValue(status), instant(runAt), retryCount,
                maxRetries, workerId, instant(createdAt), updatedAt, instant(startedAt), instant(finishedAt),
                lastError, resultJson, idempotencyKey, requestFingerprint, timeout,
                new RetryPolicy(retryInitialDelay, retryMultiplier, retryMaxDelay), replayCount,
                TaskPriority.fromValue(priority));
    }

    // By hand: ChronoUnit.MICROS.between counts in nanoseconds, which overflow a long after 2262,
    // before the versions' sixteen digits run out.
    static Long micros(Instant instant) {
        return instant == null ? null : instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }

    static Instant instant(Long micros) {
        return micros == null ? null
                : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
    }
}
