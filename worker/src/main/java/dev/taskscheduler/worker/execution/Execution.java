package dev.taskscheduler.worker.execution;

import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.worker.limits.TaskTypeLimiter;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One claimed attempt in this worker, from its claim until its outcome is written. It is settled
 * exactly once: by its handler returning, by its timeout, or by a stopping worker handing it back,
 * whichever comes first; later ones are ignored.
 */
final class Execution {

    private final StoredTask task;
    private final String pool;
    private final TaskTypeLimiter.Permit permit;
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile Thread thread;
    private volatile Instant deadline;

    Execution(StoredTask task, String pool, TaskTypeLimiter.Permit permit) {
        this.task = task;
        this.pool = pool;
        this.permit = permit;
    }

    StoredTask task() {
        return task;
    }

    String pool() {
        return pool;
    }

    TaskTypeLimiter.Permit permit() {
        return permit;
    }

    /** The handler starts on {@code thread}; the attempt may run until {@code deadline}. */
    void started(Thread thread, Instant deadline) {
        this.deadline = deadline;
        this.thread = thread;
    }

    /** The handler returned: its thread goes back to the pool, and no one may interrupt it any more. */
    void returned() {
        this.thread = null;
    }

    /** Whether the handler runs and its deadline has passed at {@code now}. */
    boolean overdue(Instant now) {
        Instant due = deadline;
        return thread != null && due != null && now.isAfter(due);
    }

    boolean running() {
        return thread != null;
    }

    /** Claims the right to decide this attempt's outcome; true only for the first caller. */
    boolean settle() {
        return settled.compareAndSet(false, true);
    }

    /** Interrupts the handler, if it still runs (its timeout passed, or the worker stops). */
    void interrupt() {
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
    }
}
