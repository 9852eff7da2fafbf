package dev.taskscheduler.faults.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.faults.ledger.Execution;
import dev.taskscheduler.faults.load.Accepted;
import dev.taskscheduler.faults.load.Accepted.Channel;
import dev.taskscheduler.faults.load.Accepted.Expected;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LedgerCheckTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final long KILLED_PID = 4242;
    private static final long LIVING_PID = 7;

    private final UUID id = UUID.randomUUID();
    private final Accepted accepted = new Accepted(Channel.REST, id, "k1", T0, Expected.SUCCEEDED, T0);

    @Test
    void aTaskThatSucceededOnceOnTimePasses() {
        Figures figures = LedgerCheck.judge(List.of(accepted), Map.of(id, succeeded(0, "w2")),
                List.of(attempt(0, "w2", T0.plusMillis(5), T0, "succeeded")),
                List.of(run(0, "w2", LIVING_PID)), Set.of());

        assertThat(figures).isEqualTo(new Figures(1, 1, 1, 0, 0, 0, 0, 0, List.of()));
        assertThat(figures.pass()).isTrue();
    }

    @Test
    void anAcceptedTopicRecordWithoutATaskIsLost() {
        Accepted record = new Accepted(Channel.TOPIC, null, "k2", T0, Expected.SUCCEEDED, T0);

        Figures figures = LedgerCheck.judge(List.of(record), Map.of(), List.of(), List.of(), Set.of());

        assertThat(figures.lost()).isEqualTo(1);
        assertThat(figures.pass()).isFalse();
        assertThat(figures.problems()).singleElement().asString().contains("k2");
    }

    @Test
    void aTaskStillPendingIsStuck() {
        Figures figures = LedgerCheck.judge(List.of(accepted),
                Map.of(id, new TaskRow(id, "pending", 0, null)), List.of(), List.of(), Set.of());

        assertThat(figures.stuck()).isEqualTo(1);
        assertThat(figures.pass()).isFalse();
    }

    @Test
    void anAttemptStartedBeforeTheDueTimeItWasClaimedForIsEarly() {
        Figures figures = LedgerCheck.judge(List.of(accepted), Map.of(id, succeeded(1, "w2")),
                List.of(attempt(0, "w2", T0, T0, "failed"),
                        attempt(1, "w2", T0.plusSeconds(1), T0.plusSeconds(2), "succeeded")),
                List.of(run(1, "w2", LIVING_PID)), Set.of());

        assertThat(figures.early()).isEqualTo(1);
        assertThat(figures.pass()).isFalse();
    }

    /** A worker whose clock ran 30 s behind put the retry's due time before the failure it follows. */
    @Test
    void aRetryDueBeforeTheFailedAttemptEndedIsEarly() {
        Figures figures = LedgerCheck.judge(List.of(accepted), Map.of(id, succeeded(1, "w2")),
                List.of(new AttemptRow(id, 0, "w2", T0, T0.plusSeconds(1), T0, "failed"),
                        attempt(1, "w2", T0.plusSeconds(2), T0.minusSeconds(29), "succeeded")),
                List.of(run(1, "w2", LIVING_PID)), Set.of());

        assertThat(figures.early()).isEqualTo(1);
        assertThat(figures.problems()).singleElement().asString().startsWith("retry due before its failure");
    }

    @Test
    void aRetryDueItsBackoffAfterTheFailurePasses() {
        Figures figures = LedgerCheck.judge(List.of(accepted), Map.of(id, succeeded(1, "w2")),
                List.of(new AttemptRow(id, 0, "w2", T0, T0.plusSeconds(1), T0, "failed"),
                        attempt(1, "w2", T0.plusMillis(1_600), T0.plusMillis(1_500), "succeeded")),
                List.of(run(1, "w2", LIVING_PID)), Set.of());

        assertThat(figures.early()).isZero();
        assertThat(figures.pass()).isTrue();
    }

    @Test
    void aFirstAttemptBeforeTheRequestedRunTimeIsEarlyEvenWithoutADueTime() {
        Accepted delayed = new Accepted(Channel.BATCH, id, "k3", T0.plusSeconds(5), Expected.SUCCEEDED, T0);

        Figures figures = LedgerCheck.judge(List.of(delayed), Map.of(id, succeeded(0, "w2")),
                List.of(attempt(0, "w2", T0.plusSeconds(1), null, "succeeded")),
                List.of(run(0, "w2", LIVING_PID)), Set.of());

        assertThat(figures.early()).isEqualTo(1);
    }

    @Test
    void aSecondRunByAKilledWorkerRecordedAsItsOwnAttemptIsExplained() {
        Figures figures = LedgerCheck.judge(List.of(accepted), Map.of(id, succeeded(1, "w2")),
                List.of(attempt(0, "w1", T0, T0, "failed"), attempt(1, "w2", T0.plusSeconds(9), T0, "succeeded")),
                List.of(run(0, "w1", KILLED_PID), run(1, "w2", LIVING_PID)), Set.of(KILLED_PID));

        assertThat(figures.duplicates()).isEqualTo(1);
        assertThat(figures.explained()).isEqualTo(1);
        assertThat(figures.pass()).isTrue();
    }

    @Test
    void aSecondRunByAWorkerNoFaultHitIsUnexplained() {
        Figures figures = LedgerCheck.judge(List.of(accepted), Map.of(id, succeeded(1, "w2")),
                List.of(attempt(0, "w1", T0, T0, "failed"), attempt(1, "w2", T0.plusSeconds(9), T0, "succeeded")),
                List.of(run(0, "w1", LIVING_PID), run(1, "w2", LIVING_PID)), Set.of(KILLED_PID));

        assertThat(figures.unexplained()).isEqualTo(1);
        assertThat(figures.pass()).isFalse();
    }

    @Test
    void aSecondRunWithoutAnAttemptOfItsOwnIsUnexplainedEvenFromAKilledWorker() {
        Figures figures = LedgerCheck.judge(List.of(accepted), Map.of(id, succeeded(0, "w2")),
                List.of(attempt(0, "w2", T0, T0, "succeeded")),
                List.of(run(0, "w2", LIVING_PID), run(0, "w1", KILLED_PID)), Set.of(KILLED_PID));

        assertThat(figures.unexplained()).isEqualTo(1);
    }

    @Test
    void aSingleSuccessfulRunOfATaskThatNeverRecordedItIsStuckNotADuplicate() {
        Figures figures = LedgerCheck.judge(List.of(accepted),
                Map.of(id, new TaskRow(id, "running", 0, "w2")), List.of(attempt(0, "w2", T0, T0, "running")),
                List.of(run(0, "w2", LIVING_PID)), Set.of());

        assertThat(figures.stuck()).isEqualTo(1);
        assertThat(figures.duplicates()).isZero();
    }

    @Test
    void aTaskMeantForTheDeadLetterQueueThatSucceededEndsOtherwiseThanMeant() {
        Accepted doomed = new Accepted(Channel.TOPIC, id, "k4", T0, Expected.DEAD_LETTER, T0);

        Figures figures = LedgerCheck.judge(List.of(doomed), Map.of(id, succeeded(0, "w2")),
                List.of(attempt(0, "w2", T0, T0, "succeeded")), List.of(run(0, "w2", LIVING_PID)), Set.of());

        assertThat(figures.ended()).isEqualTo(1);
        assertThat(figures.endedAsMeant()).isZero();
        assertThat(figures.pass()).isFalse();
    }

    private TaskRow succeeded(int retryCount, String worker) {
        return new TaskRow(id, "succeeded", retryCount, worker);
    }

    private AttemptRow attempt(int attempt, String worker, Instant started, Instant due, String outcome) {
        return new AttemptRow(id, attempt, worker, started, "running".equals(outcome) ? null : started, due, outcome);
    }

    private Execution run(int attempt, String worker, long pid) {
        return new Execution(id, attempt, worker, pid, 0, 1, true);
    }
}
