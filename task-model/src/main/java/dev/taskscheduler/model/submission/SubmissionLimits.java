package dev.taskscheduler.model.submission;

import java.time.Duration;
import java.util.Map;

/**
 * Bounds on what a submission may ask for, and the defaults for what it leaves out.
 *
 * @param maxPayloadBytes largest serialized payload accepted
 * @param maxRetriesLimit largest {@code maxRetries} accepted
 * @param maxTimeout      longest attempt timeout accepted
 * @param maxPastAge      how far in the past a {@code runAt} may lie (it then runs at once)
 * @param horizon         how far in the future a task may be scheduled
 * @param defaults        defaults for every task type
 * @param typeDefaults    defaults of particular task types, replacing {@code defaults}
 */
public record SubmissionLimits(
        int maxPayloadBytes,
        int maxRetriesLimit,
        Duration maxTimeout,
        Duration maxPastAge,
        Duration horizon,
        TaskDefaults defaults,
        Map<String, TaskDefaults> typeDefaults) {

    public SubmissionLimits {
        typeDefaults = Map.copyOf(typeDefaults);
    }

    public static SubmissionLimits standard() {
        return new SubmissionLimits(64 * 1024, 100, Duration.ofHours(24), Duration.ofDays(1), Duration.ofDays(365),
                TaskDefaults.standard(), Map.of());
    }

    /** A missing type (a rejected submission, still checked field by field) gets the general defaults. */
    public TaskDefaults defaultsFor(String type) {
        return type == null ? defaults : typeDefaults.getOrDefault(type, defaults);
    }
}
