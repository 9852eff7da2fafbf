package dev.taskscheduler.worker.execution;

import dev.taskscheduler.store.AttemptOutcome;
import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.store.TaskClaims;
import dev.taskscheduler.store.TransientFailures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the outcomes of finished attempts in batches: whatever settled while the last batch was
 * written goes in the next, one statement per kind of outcome and one commit for all (and, through
 * the repository, one script call to the Redis cache). Each write is fenced on the claim; an outcome the
 * database refuses because the claim is gone is counted as {@code fenced}.
 *
 * <p>While the database is unreachable a batch is written again (see {@link OutcomeWrites}). A batch
 * it refuses for another reason is written one outcome at a time, so one bad outcome cannot keep
 * its neighbours {@code running}; one that still fails stays unwritten and its task, no longer
 * kept alive by this worker's lease refresh, is rescued when its lease runs out.
 */
public final class OutcomeWriter {

    private static final Logger log = LoggerFactory.getLogger(OutcomeWriter.class);
    private static final int MAX_BATCH = 500;
    /**
     * Outcomes queued beyond which the consumers claim nothing more: a claim is closed by its outcome, so claims
     * that outran the writes would pile up as {@code running} rows (and in every lease refresh) for as long as the
     * database is slow.
     */
    static final int MAX_BACKLOG = 2 * MAX_BATCH;

    private record Finished(Execution execution, AttemptOutcome outcome) {
    }

    private final String workerId;
    private final TaskClaims claims;
    private final TransactionTemplate transaction;
    private final OutcomeDecision decision;
    private final OutcomeWrites writes;
    private final RunningTasks running;
    private final WorkerMetrics metrics;
    private final BlockingQueue<Finished> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean stopping;

    OutcomeWriter(String workerId, TaskClaims claims, TransactionTemplate transaction,
            OutcomeDecision decision, OutcomeWrites writes, RunningTasks running, WorkerMetrics metrics) {
        this.workerId = workerId;
        this.claims = claims;
        this.transaction = transaction;
        this.decision = decision;
        this.writes = writes;
        this.running = running;
        this.metrics = metrics;
        this.writer = new Thread(this::writeWhileOpen, "worker-outcomes");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Queues the outcome of a settled attempt; a retry's backoff counts from the write, on the database's clock. */
    void add(Execution execution, Attempt attempt) {
        queue.add(new Finished(execution, decision.decide(execution.task(), attempt)));
    }

    /** Whether so many outcomes wait to be written that no more tasks should be claimed for now. */
    boolean behind() {
        return queue.size() >= MAX_BACKLOG;
    }

    /** Writes what is queued, then stops; waits up to {@code timeout}. */
    void close(Duration timeout) {
        stopping = true;
        try {
            writer.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!queue.isEmpty()) {
            log.warn("Worker {} stopped with {} attempt outcomes unwritten; their tasks are rescued by lease",
                    workerId, queue.size());
        }
    }

    private void writeWhileOpen() {
        List<Finished> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            Finished first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                if (stopping) {
                    return;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, MAX_BATCH - 1);
            write(batch);
            batch.clear();
        }
    }

    private void write(List<Finished> batch) {
        Set<UUID> recorded;
        try {
            recorded = writes.write("outcomes of " + batch.size() + " attempts", () -> Objects.requireNonNull(
                    transaction.execute(status -> claims.record(workerId, batch.stream()
                            .map(finished -> new TaskClaims.Finished(finished.execution().task(), finished.outcome()))
                            .toList()))));
        } catch (RuntimeException e) {
            if (batch.size() > 1 && !TransientFailures.isTransient(e)) {
                log.warn("Writing {} attempt outcomes together failed; writing them one by one: {}", batch.size(),
                        e.toString());
                batch.forEach(finished -> write(List.of(finished)));
            } else {
                log.error("Outcome of {} attempts not written; their tasks are rescued when their lease runs out",
                        batch.size(), e);
                batch.forEach(finished -> running.remove(finished.execution()));
            }
            return;
        }
        for (Finished finished : batch) {
            StoredTask task = finished.execution().task();
            if (recorded.contains(task.id())) {
                metrics.attempt(finished.execution().pool(), task.type(), finished.outcome().tag());
            } else {
                metrics.attempt(finished.execution().pool(), task.type(), "fenced");
                log.warn("Outcome '{}' of task {} attempt {} refused: worker {} no longer holds the claim "
                        + "(the task was rescued or reset meanwhile)", finished.outcome().tag(), task.id(),
                        task.retryCount(), workerId);
            }
            running.remove(finished.execution());
        }
    }
}
