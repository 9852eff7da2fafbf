package dev.taskscheduler.faults.check;

import java.time.Instant;
import java.util.UUID;

/** One row of {@code task_attempts}: an attempt, when it started and the due time it was claimed for. */
public record AttemptRow(UUID taskId, int attempt, String workerId, Instant startedAt, Instant dueAt, String outcome) {
}
