package dev.taskscheduler.model.submission;

/**
 * The retry backoff a submission asks for; each field is optional and falls back to the task
 * type's default. Durations are ISO-8601 ({@code PT2S}).
 */
public record RetryRequest(String initialDelay, Double multiplier, String maxDelay) {
}
