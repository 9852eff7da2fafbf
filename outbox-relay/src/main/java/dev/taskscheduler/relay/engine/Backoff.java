package dev.taskscheduler.relay.engine;

import java.time.Duration;

/** Doubling wait between engine restarts, from an initial delay up to a cap. Not thread-safe. */
final class Backoff {

    private final Duration initial;
    private final Duration max;
    private Duration next;

    /** Expects 0 < initial <= max, as {@code RelayProperties.Restart} ensures. */
    Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** The wait before the next restart; each call doubles the one after, up to the cap. */
    Duration next() {
        Duration current = next;
        next = current.compareTo(max.dividedBy(2)) > 0 ? max : current.multipliedBy(2);
        return current;
    }

    /** Back to the initial wait, after the engine ran long enough to count as healthy. */
    void reset() {
        next = initial;
    }

    Duration max() {
        return max;
    }
}
