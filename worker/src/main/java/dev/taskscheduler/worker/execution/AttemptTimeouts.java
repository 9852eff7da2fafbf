package dev.taskscheduler.worker.execution;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends attempts that run past their timeout: every {@value #SWEEP_MILLIS} ms it settles each
 * overdue attempt as timed out (its outcome is written at once) and interrupts its handler. A
 * handler that ignores the interrupt keeps its thread, and with it a slot of its pool, until it
 * returns: capacity is never overcommitted by handlers nobody waits for.
 */
final class AttemptTimeouts {

    private static final Logger log = LoggerFactory.getLogger(AttemptTimeouts.class);
    static final long SWEEP_MILLIS = 100;

    private final RunningTasks running;
    private final OutcomeWriter outcomes;
    private final Clock clock;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "worker-timeouts");
        thread.setDaemon(true);
        return thread;
    });

    AttemptTimeouts(RunningTasks running, OutcomeWriter outcomes, Clock clock) {
        this.running = running;
        this.outcomes = outcomes;
        this.clock = clock;
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            Instant now = clock.instant();
            for (Execution execution : running.executions()) {
                if (execution.overdue(now) && execution.settle()) {
                    Duration timeout = execution.task().timeout();
                    outcomes.add(execution, Attempt.timedOut(new TimeoutException(
                            "timed out after " + timeout + "; handler interrupted")));
                    execution.interrupt();
                }
            }
        } catch (RuntimeException e) {
            log.warn("Timeout sweep failed; trying again: {}", e.toString());
        }
    }

    void close() {
        sweeper.shutdownNow();
    }
}
