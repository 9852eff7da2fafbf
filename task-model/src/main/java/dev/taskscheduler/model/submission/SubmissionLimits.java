package dev.taskscheduler.model.submission;

import java.time.Duration;

/**
 * Bounds on what a submission may ask for.
 *
 * @param maxPayloadBytes    largest serialized payload accepted
 * @param maxRetriesLimit    largest {@code maxRetries} accepted
 * @param defaultMaxRetries  {@code maxRetries} when the submission gives none
 * @param maxPastAge         how far in the past a {@code runAt} may lie (it then runs at once)
 * @param horizon            how far in the future a task may be scheduled
 */
public record SubmissionLimits(
        int maxPayloadBytes,
        int maxRetriesLimit,
        int defaultMaxRetries,
        Duration maxPastAge,
        Duration horizon) {

    public static SubmissionLimits defaults() {
        return new SubmissionLimits(64 * 1024, 100, 3, Duration.ofDays(1), Duration.ofDays(365));
    }
}
