package dev.taskscheduler.model.submission;

import dev.taskscheduler.model.RetryPolicy;
import java.time.Duration;

/**
 * What a task gets when its submission does not say: configured once, and per task type.
 *
 * @param maxRetries retries after the first attempt
 * @param timeout    how long one attempt may run before it is interrupted and counts as failed
 * @param retry      backoff between attempts
 */
public record TaskDefaults(int maxRetries, Duration timeout, RetryPolicy retry) {

    public static TaskDefaults standard() {
        return new TaskDefaults(3, Duration.ofMinutes(5), RetryPolicy.defaults());
    }
}
