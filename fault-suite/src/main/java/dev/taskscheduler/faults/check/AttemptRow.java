package dev.taskscheduler.faults.check;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code task_attempts}: an attempt, when it started and ended (null while it runs) and
 * the due time it was claimed for, all on the database's clock.
 */
public record AttemptRow(UUID taskId, int attempt, String workerId, Instant startedAt, Instant finishedAt, Instant dueAt,
                         String outcome) {
}
