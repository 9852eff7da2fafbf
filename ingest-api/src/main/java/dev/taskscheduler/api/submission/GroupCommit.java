package dev.taskscheduler.api.submission;

import dev.taskscheduler.model.submission.ValidSubmission;
import dev.taskscheduler.store.TransientFailures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of single submissions: concurrent requests are gathered and stored with one
 * statement in one transaction, and each request is answered after the commit that holds it.
 *
 * <p>There is no waiting window: a committer takes whatever has queued up while the previous
 * transaction ran (at most {@code maxBatch}), so a lone request is stored at once and a busy server
 * stores many per commit. The queue is bounded; when it is full a request is refused at once
 * ({@link SubmissionsOverloadedException}, a 503) instead of piling up. A batch the database
 * refuses for a reason that is not an outage is stored again one submission at a time, so one bad
 * submission never fails the others.
 */
final class GroupCommit {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /**
     * @param maxBatch      most submissions per transaction
     * @param queueCapacity most submissions waiting to be stored
     * @param committers    transactions in flight at once
     * @param answerTimeout how long a request waits for its commit before it is answered 503
     */
    record Settings(int maxBatch, int queueCapacity, int committers, Duration answerTimeout) {

        Settings {
            if (maxBatch < 1 || queueCapacity < 1 || committers < 1) {
                throw new IllegalArgumentException("group commit needs a batch, a queue and a committer of 1 or more");
            }
        }
    }

    private record Waiting(ValidSubmission submission, CompletableFuture<BatchItemOutcome> outcome) {
    }

    private final Function<List<ValidSubmission>, List<BatchItemOutcome>> store;
    private final Settings settings;
    private final BlockingQueue<Waiting> queue;
    private final List<Thread> committers = new ArrayList<>();
    private volatile boolean closing;

    GroupCommit(Function<List<ValidSubmission>, List<BatchItemOutcome>> store, Settings settings) {
        this.store = store;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        for (int i = 0; i < settings.committers(); i++) {
            Thread committer = new Thread(this::commitWhileOpen, "api-group-commit-" + i);
            committer.setDaemon(true);
            committer.start();
            committers.add(committer);
        }
    }

    /** Stores the submission with whatever else is waiting and returns its outcome after the commit. */
    BatchItemOutcome store(ValidSubmission submission) {
        Waiting waiting = new Waiting(submission, new CompletableFuture<>());
        if (closing || !queue.offer(waiting)) {
            throw new SubmissionsOverloadedException("more than " + settings.queueCapacity()
                    + " submissions are waiting to be stored");
        }
        try {
            return waiting.outcome().get(settings.answerTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new SubmissionsOverloadedException("not stored within " + settings.answerTimeout()
                    + "; it may still be: resubmit with the same Idempotency-Key to find out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SubmissionsOverloadedException("interrupted while waiting to be stored");
        }
    }

    /** Submissions waiting for a transaction. */
    int queued() {
        return queue.size();
    }

    /** Stops taking submissions; what is queued is still stored. */
    void close() {
        closing = true;
        for (Thread committer : committers) {
            try {
                committer.join(settings.answerTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void commitWhileOpen() {
        List<Waiting> batch = new ArrayList<>(settings.maxBatch());
        while (true) {
            Waiting first;
            try {
                first = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                if (closing) {
                    return;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, settings.maxBatch() - 1);
            commit(batch);
            batch.clear();
        }
    }

    private void commit(List<Waiting> batch) {
        try {
            List<BatchItemOutcome> outcomes = store.apply(batch.stream().map(Waiting::submission).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).outcome().complete(outcomes.get(i));
            }
        } catch (RuntimeException e) {
            if (batch.size() > 1 && !TransientFailures.isTransient(e)) {
                log.warn("Storing {} submissions together failed; storing them one by one: {}", batch.size(),
                        e.toString());
                batch.forEach(waiting -> commit(List.of(waiting)));
                return;
            }
            batch.forEach(waiting -> waiting.outcome().completeExceptionally(e));
        }
    }
}
