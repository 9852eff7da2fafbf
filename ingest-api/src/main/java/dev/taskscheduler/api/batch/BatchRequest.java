package dev.taskscheduler.api.batch;

import dev.taskscheduler.model.submission.TaskSubmission;
import java.util.List;

/**
 * A batch of submissions; each may carry its own {@code idempotencyKey} (the field the submission
 * topic uses), since one {@code Idempotency-Key} header cannot name several tasks.
 */
public record BatchRequest(List<TaskSubmission> tasks) {
}
