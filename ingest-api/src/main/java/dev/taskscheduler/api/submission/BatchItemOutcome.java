package dev.taskscheduler.api.submission;

/**
 * Outcome of one submission of a batch: stored (new or found by its idempotency key), or rejected
 * with the exception the single-task path would have thrown for it.
 */
public record BatchItemOutcome(SubmissionResult result, RuntimeException rejection) {

    static BatchItemOutcome stored(SubmissionResult result) {
        return new BatchItemOutcome(result, null);
    }

    static BatchItemOutcome rejected(RuntimeException rejection) {
        return new BatchItemOutcome(null, rejection);
    }
}
