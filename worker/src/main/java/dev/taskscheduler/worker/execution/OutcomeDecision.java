package dev.taskscheduler.worker.execution;

import dev.taskscheduler.model.Json;
import dev.taskscheduler.store.AttemptOutcome;
import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.worker.handler.NonRetryableTaskException;

/**
 * How an attempt ends for its task, as a pure function of the attempt and the task: succeeded
 * (with a result the database can hold), retried after the task's backoff, dead-lettered, or handed
 * back. No I/O, so every branch is tested directly.
 */
public final class OutcomeDecision {

    static final int MAX_ERROR_LENGTH = 4000;
    /** PostgreSQL's jsonb and text cannot hold NUL characters. */
    private static final String JSON_NUL = "\\u0000";

    private final RetryBackoff backoff;
    private final String workerId;

    public OutcomeDecision(RetryBackoff backoff, String workerId) {
        this.backoff = backoff;
        this.workerId = workerId;
    }

    public AttemptOutcome decide(StoredTask task, Attempt attempt) {
        return switch (attempt.kind()) {
            case SUCCEEDED -> succeeded(task, attempt);
            case ABANDONED -> new AttemptOutcome.GiveBack(task.id(), task.retryCount(),
                    "handed back unfinished: worker " + workerId + " stopped");
            case FAILED, TIMED_OUT -> failed(task, attempt);
        };
    }

    private static AttemptOutcome succeeded(StoredTask task, Attempt attempt) {
        if (attempt.outcome().result() == null) {
            return new AttemptOutcome.Succeeded(task.id(), task.retryCount(), null, null);
        }
        String json = Json.write(attempt.outcome().result());
        if (json.contains(JSON_NUL)) {
            // The work is done; storing its result would fail, and failing the task would run it again.
            return new AttemptOutcome.Succeeded(task.id(), task.retryCount(), null,
                    "result not stored: it contains NUL characters, which PostgreSQL cannot hold");
        }
        return new AttemptOutcome.Succeeded(task.id(), task.retryCount(), json, null);
    }

    private AttemptOutcome failed(StoredTask task, Attempt attempt) {
        String error = describe(attempt);
        if (attempt.error() instanceof NonRetryableTaskException || task.retryCount() >= task.maxRetries()) {
            return new AttemptOutcome.DeadLetter(task.id(), task.retryCount(), error);
        }
        return new AttemptOutcome.Retry(task.id(), task.retryCount(), error,
                backoff.delayAfter(task.retry(), task.retryCount()),
                attempt.kind() == Attempt.Kind.TIMED_OUT);
    }

    /** The error as stored: class and message (a timeout's message alone), bounded, without NULs. */
    static String describe(Attempt attempt) {
        Throwable error = attempt.error();
        String text = attempt.kind() == Attempt.Kind.TIMED_OUT
                ? error.getMessage()
                : error.getClass().getName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        text = text.replace('\u0000', '\uFFFD');
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }
}
