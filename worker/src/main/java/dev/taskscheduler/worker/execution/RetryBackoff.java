package dev.taskscheduler.worker.execution;

import dev.taskscheduler.worker.WorkerProperties;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/** Delay before the next attempt: exponential in the attempt number, capped, with jitter. */
public final class RetryBackoff {

    private final WorkerProperties.Retry policy;
    private final DoubleSupplier random;

    /** @param random source of numbers in [0, 1) */
    public RetryBackoff(WorkerProperties.Retry policy, DoubleSupplier random) {
        this.policy = policy;
        this.random = random;
    }

    /** @param failedAttempt 0 after the first attempt failed, 1 after the second, … */
    public Duration delayAfter(int failedAttempt) {
        double base = policy.initial().toMillis() * Math.pow(policy.multiplier(), failedAttempt);
        double capped = Math.min(base, policy.max().toMillis());
        double spread = 1 + policy.jitter() * (2 * random.getAsDouble() - 1);
        return Duration.ofMillis(Math.max(0, Math.round(capped * spread)));
    }
}
