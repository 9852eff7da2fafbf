package dev.taskscheduler.worker.execution;

import dev.taskscheduler.model.RetryPolicy;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/** The task's own backoff policy, spread by jitter so retries of many tasks do not arrive together. */
public final class RetryBackoff {

    private final double jitter;
    private final DoubleSupplier random;

    /**
     * @param jitter fraction of the delay added or removed at random (0.2: ±20 %)
     * @param random source of numbers in [0, 1)
     */
    public RetryBackoff(double jitter, DoubleSupplier random) {
        this.jitter = jitter;
        this.random = random;
    }

    /** @param failedAttempt 0 after the first attempt failed, 1 after the second, … */
    public Duration delayAfter(RetryPolicy policy, int failedAttempt) {
        double base = policy.delayAfter(failedAttempt).toMillis();
        double spread = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Duration.ofMillis(Math.max(0, Math.round(base * spread)));
    }
}
