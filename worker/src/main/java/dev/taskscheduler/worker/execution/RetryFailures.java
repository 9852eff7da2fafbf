package dev.taskscheduler.worker.execution;

import org.springframework.core.retry.RetryException;

/** What a caller of a RetryTemplate rethrows when the retries end: the last failure itself. */
final class RetryFailures {

    private RetryFailures() {
    }

    static RuntimeException lastFailure(RetryException e, String what) {
        return e.getLastException() instanceof RuntimeException runtime
                ? runtime : new IllegalStateException(what + " failed", e.getLastException());
    }
}
