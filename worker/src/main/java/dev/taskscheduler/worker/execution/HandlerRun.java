package dev.taskscheduler.worker.execution;

import dev.taskscheduler.worker.handler.TaskOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Waits for a running handler, in short slices so that both the task's timeout and a worker
 * shutdown are noticed; either interrupts the handler.
 */
final class HandlerRun {

    private static final long SLICE_MILLIS = 100;

    private final Future<TaskOutcome> future;

    HandlerRun(Future<TaskOutcome> future) {
        this.future = future;
    }

    /**
     * @param deadline  when the attempt times out
     * @param handBackAt when a stopping worker gives up on it (null while not stopping)
     */
    Attempt await(Instant deadline, Supplier<Instant> handBackAt, Clock clock) {
        Instant started = clock.instant();
        while (true) {
            try {
                return Attempt.succeeded(future.get(SLICE_MILLIS, TimeUnit.MILLISECONDS));
            } catch (ExecutionException e) {
                return Attempt.failed(e.getCause());
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                return Attempt.abandoned();
            } catch (TimeoutException e) {
                Instant now = clock.instant();
                if (!now.isBefore(deadline)) {
                    future.cancel(true);
                    return Attempt.timedOut(new TimeoutException(
                            "timed out after " + Duration.between(started, deadline) + "; handler interrupted"));
                }
                Instant stopAt = handBackAt.get();
                if (stopAt != null && !now.isBefore(stopAt)) {
                    future.cancel(true);
                    return Attempt.abandoned();
                }
            }
        }
    }
}
