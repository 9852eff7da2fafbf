package dev.taskscheduler.model;

import java.time.Duration;

/**
 * Exponential backoff between attempts: the wait after failed attempt {@code n} (0-based) is
 * {@code initialDelay * multiplier^n}, capped at {@code maxDelay}. Workers add jitter on top.
 */
public record RetryPolicy(Duration initialDelay, double multiplier, Duration maxDelay) {

    public RetryPolicy {
        if (initialDelay.isNegative() || multiplier < 1 || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("Retry policy needs initialDelay >= 0, multiplier >= 1 and "
                    + "maxDelay >= initialDelay, got " + initialDelay + ", " + multiplier + ", " + maxDelay);
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5));
    }

    /** The delay after failed attempt {@code failedAttempt} (0 for the first), before jitter. */
    public Duration delayAfter(int failedAttempt) {
        double millis = initialDelay.toMillis() * Math.pow(multiplier, failedAttempt);
        return Duration.ofMillis((long) Math.min(millis, maxDelay.toMillis()));
    }
}
