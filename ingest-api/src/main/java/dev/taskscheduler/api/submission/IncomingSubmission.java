package dev.taskscheduler.api.submission;

import dev.taskscheduler.model.submission.TaskSubmission;
import java.time.Instant;

/**
 * A submission with the moment it was handed to the system: a topic record's timestamp, so that a
 * consumer that fell behind judges it as of when it was sent.
 *
 * @param receivedAt null for "now", the validator's clock
 */
public record IncomingSubmission(TaskSubmission submission, Instant receivedAt) {

    public static IncomingSubmission now(TaskSubmission submission) {
        return new IncomingSubmission(submission, null);
    }
}
