package dev.taskscheduler.worker.execution;

import dev.taskscheduler.store.TransientFailures;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;

/**
 * Writes an attempt's outcome again while the database is unreachable. Without this, an outcome lost
 * to a dropped connection would leave the task 'running' under a live worker until its lease ran out
 * (30 minutes). Repeating is safe: each write is fenced on (task, attempt, worker) and does nothing
 * once the claim is gone.
 */
public class OutcomeWrites {

    private static final Logger log = LoggerFactory.getLogger(OutcomeWrites.class);

    private final RetryTemplate retry;

    /** @param timeout how long to keep trying before giving the task up to the rescue */
    public OutcomeWrites(Duration initialDelay, Duration maxDelay, Duration timeout) {
        this.retry = new RetryTemplate(RetryPolicy.builder()
                .predicate(TransientFailures::isTransient)
                .maxRetries(Long.MAX_VALUE)
                .delay(initialDelay)
                .multiplier(2)
                .maxDelay(maxDelay)
                .timeout(timeout)
                .build());
        this.retry.setRetryListener(new RetryListener() {
            @Override
            public void beforeRetry(RetryPolicy policy, Retryable<?> retryable, RetryState state) {
                log.warn("Recording {} failed, retry {}: {}", retryable.getName(), state.getRetryCount(),
                        String.valueOf(state.getLastException()));
            }
        });
    }

    public static OutcomeWrites standard() {
        return new OutcomeWrites(Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofMinutes(5));
    }

    /** Runs {@code write} until it succeeds, fails for a reason that is not transient, or time is up. */
    public <T> T write(String what, Supplier<T> write) {
        try {
            return retry.execute(new Retryable<>() {
                @Override
                public T execute() {
                    return write.get();
                }

                @Override
                public String getName() {
                    return what;
                }
            });
        } catch (RetryException e) {
            throw RetryFailures.lastFailure(e, "Recording " + what);
        }
    }
}
