package dev.taskscheduler.api.submission;

import dev.taskscheduler.store.StoredTask;

/**
 * Outcome of a submission.
 *
 * @param task    the task, new or found by idempotency key
 * @param created false when the idempotency key matched an earlier, identical submission
 */
public record SubmissionResult(StoredTask task, boolean created) {
}
