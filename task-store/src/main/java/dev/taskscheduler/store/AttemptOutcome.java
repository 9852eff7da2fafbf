package dev.taskscheduler.store;

import java.time.Duration;
import java.util.UUID;

/**
 * What is written for one finished attempt: the task's next state, as the worker decided it. Each
 * write is fenced on (task, attempt, worker), see {@link TaskClaims#record}.
 */
public sealed interface AttemptOutcome {

    UUID taskId();

    int attempt();

    /** The {@code outcome} tag of the {@code worker_task_attempts} counter. */
    String tag();

    /** The handler succeeded; {@code resultJson} may be null, {@code note} says why a result was not kept. */
    record Succeeded(UUID taskId, int attempt, String resultJson, String note) implements AttemptOutcome {
        @Override
        public String tag() {
            return "succeeded";
        }
    }

    /**
     * Failed with attempts left: pending again at the next attempt, due {@code backoff} after the
     * outcome is written, on the database's clock (a worker's own clock may be off).
     */
    record Retry(UUID taskId, int attempt, String error, Duration backoff, boolean timedOut)
            implements AttemptOutcome {
        @Override
        public String tag() {
            return timedOut ? "timed_out" : "retried";
        }
    }

    /** Failed with no attempts left, or for good: dead-lettered. */
    record DeadLetter(UUID taskId, int attempt, String error) implements AttemptOutcome {
        @Override
        public String tag() {
            return "dead_letter";
        }
    }

    /** Not finished (the worker stops): pending again at the same attempt, due at once. */
    record GiveBack(UUID taskId, int attempt, String reason) implements AttemptOutcome {
        @Override
        public String tag() {
            return "abandoned";
        }
    }
}
