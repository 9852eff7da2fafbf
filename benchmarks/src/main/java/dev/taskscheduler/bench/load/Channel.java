package dev.taskscheduler.bench.load;

import dev.taskscheduler.bench.measure.TaskLookup;
import java.util.concurrent.CompletableFuture;

/** One way into the system for a noop task due now: a REST request, or a record on the submission topic. */
public interface Channel extends AutoCloseable {

    /** Short name for reports: "REST" or "topic". */
    String name();

    /** How the handles this channel returns find the task rows. */
    TaskLookup lookup();

    /**
     * Sends one task without waiting.
     *
     * @return completes with the task's handle (id or idempotency key) once the system or the
     *         broker accepted it, exceptionally when it was refused or failed
     */
    CompletableFuture<String> send(long sequence);

    @Override
    void close();
}
