package dev.taskscheduler.worker.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.model.RetryPolicy;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.store.AttemptOutcome;
import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.worker.handler.NonRetryableTaskException;
import dev.taskscheduler.worker.handler.TaskOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class OutcomeDecisionTest {

    private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");
    /** No jitter: the random source always answers the middle. */
    private final OutcomeDecision decision = new OutcomeDecision(new RetryBackoff(0.2, () -> 0.5), "worker-1");

    @Test
    void aSuccessKeepsItsResult() {
        AttemptOutcome outcome = decision.decide(task(0, 3), Attempt.succeeded(TaskOutcome.of(Map.of("sent", true))));

        assertThat(outcome).isEqualTo(new AttemptOutcome.Succeeded(outcome.taskId(), 0, "{\"sent\":true}", null));
    }

    @Test
    void aSuccessWhoseResultTheDatabaseCannotHoldSucceedsWithoutIt() {
        AttemptOutcome outcome = decision.decide(task(0, 3),
                Attempt.succeeded(TaskOutcome.of(Map.of("text", "a\u0000b"))));

        assertThat(outcome).isInstanceOfSatisfying(AttemptOutcome.Succeeded.class, succeeded -> {
            assertThat(succeeded.resultJson()).isNull();
            assertThat(succeeded.note()).contains("NUL");
        });
    }

    @Test
    void aFailureWithAttemptsLeftIsRetriedAfterTheTasksBackoff() {
        AttemptOutcome outcome = decision.decide(task(1, 3), Attempt.failed(new IllegalStateException("boom")));

        assertThat(outcome).isEqualTo(new AttemptOutcome.Retry(outcome.taskId(), 1,
                "java.lang.IllegalStateException: boom", Duration.ofSeconds(2), false));
        assertThat(outcome.tag()).isEqualTo("retried");
    }

    @Test
    void aTimeoutIsRetriedAndTaggedAsSuch() {
        AttemptOutcome outcome = decision.decide(task(0, 3),
                Attempt.timedOut(new TimeoutException("timed out after PT1S; handler interrupted")));

        assertThat(outcome).isInstanceOfSatisfying(AttemptOutcome.Retry.class, retry ->
                assertThat(retry.error()).isEqualTo("timed out after PT1S; handler interrupted"));
        assertThat(outcome.tag()).isEqualTo("timed_out");
    }

    @Test
    void theLastAttemptsFailureDeadLetters() {
        AttemptOutcome outcome = decision.decide(task(3, 3), Attempt.failed(new IllegalStateException("boom")));

        assertThat(outcome).isInstanceOf(AttemptOutcome.DeadLetter.class);
    }

    @Test
    void aNonRetryableFailureDeadLettersAtOnce() {
        AttemptOutcome outcome = decision.decide(task(0, 3), Attempt.failed(new NonRetryableTaskException("bad")));

        assertThat(outcome).isEqualTo(new AttemptOutcome.DeadLetter(outcome.taskId(), 0,
                NonRetryableTaskException.class.getName() + ": bad"));
    }

    @Test
    void anAbandonedAttemptIsHandedBackAtTheSameAttempt() {
        AttemptOutcome outcome = decision.decide(task(2, 3), Attempt.abandoned());

        assertThat(outcome).isEqualTo(new AttemptOutcome.GiveBack(outcome.taskId(), 2,
                "handed back unfinished: worker worker-1 stopped"));
    }

    @Test
    void anErrorIsStoredWithoutNulCharactersAndBounded() {
        AttemptOutcome outcome = decision.decide(task(3, 3),
                Attempt.failed(new IllegalStateException("a\u0000b" + "x".repeat(5000))));

        assertThat(((AttemptOutcome.DeadLetter) outcome).error())
                .hasSize(OutcomeDecision.MAX_ERROR_LENGTH).doesNotContain("\u0000");
    }

    private static StoredTask task(int retryCount, int maxRetries) {
        return new StoredTask(UUID.randomUUID(), "mail", "{}", TaskStatus.RUNNING, NOW, retryCount, maxRetries,
                "worker-1", NOW, NOW, NOW, null, null, null, null, "fingerprint", Duration.ofMinutes(1),
                new RetryPolicy(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5)), 0, TaskPriority.NORMAL);
    }
}
