package dev.taskscheduler.store;

import java.time.Instant;

/**
 * One execution attempt of a task ({@code task_attempts}).
 *
 * @param attempt the task's {@code retry_count} when it started
 * @param outcome {@code running}, {@code succeeded}, {@code failed} or {@code abandoned} (handed
 *                back unfinished or reset by hand; not counted)
 */
public record TaskAttempt(int attempt, String workerId, Instant startedAt, Instant finishedAt, String outcome,
        String error) {
}
