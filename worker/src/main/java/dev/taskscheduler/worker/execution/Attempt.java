package dev.taskscheduler.worker.execution;

import dev.taskscheduler.worker.handler.TaskOutcome;

/** How one run of a handler ended. */
record Attempt(Kind kind, TaskOutcome outcome, Throwable error) {

    enum Kind { SUCCEEDED, FAILED, TIMED_OUT, ABANDONED }

    static Attempt succeeded(TaskOutcome outcome) {
        return new Attempt(Kind.SUCCEEDED, outcome == null ? TaskOutcome.empty() : outcome, null);
    }

    static Attempt failed(Throwable error) {
        return new Attempt(Kind.FAILED, null, error);
    }

    static Attempt timedOut(Throwable error) {
        return new Attempt(Kind.TIMED_OUT, null, error);
    }

    static Attempt abandoned() {
        return new Attempt(Kind.ABANDONED, null, null);
    }
}
