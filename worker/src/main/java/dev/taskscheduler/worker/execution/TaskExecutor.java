package dev.taskscheduler.worker.execution;

import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.ReadyTask;
import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.store.TaskRepository;
import dev.taskscheduler.store.cache.TaskStatusCache;
import dev.taskscheduler.worker.handler.HandlerRegistry;
import dev.taskscheduler.worker.handler.NonRetryableTaskException;
import dev.taskscheduler.worker.handler.TaskContext;
import dev.taskscheduler.worker.handler.TaskHandler;
import dev.taskscheduler.worker.limits.TaskTypeLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * Runs one released task: take a permit of its type's limits, claim it in PostgreSQL, run its
 * handler within the task's timeout, record the outcome.
 *
 * <p>The claim is a conditional update on (task id, status pending, attempt), so of several
 * deliveries of the same ready record only one runs; the others find nothing to claim. The outcome
 * is written only while this worker still holds that claim; a refused outcome is counted as
 * {@code fenced}. While the database is unreachable the outcome is written again (see
 * {@link OutcomeWrites}).
 */
public class TaskExecutor {

    private static final Logger log = LoggerFactory.getLogger(TaskExecutor.class);
    private static final int MAX_ERROR_LENGTH = 4000;
    private static final Duration ROW_VISIBILITY_WAIT = Duration.ofSeconds(5);

    private final String workerId;
    private final TaskRepository tasks;
    private final TaskStatusCache cache;
    private final HandlerRegistry handlers;
    private final RetryBackoff backoff;
    private final TaskTypeLimiter limiter;
    private final Duration limitDeferral;
    private final WorkerMetrics metrics;
    private final Clock clock;
    private final OutcomeWrites outcomeWrites;
    private final RetryTemplate rowVisibility = new RetryTemplate(RetryPolicy.builder()
            .includes(TaskRowNotVisible.class)
            .maxRetries(Long.MAX_VALUE)
            .delay(Duration.ofMillis(10))
            .multiplier(2)
            .maxDelay(Duration.ofMillis(500))
            .timeout(ROW_VISIBILITY_WAIT)
            .build());
    private final ExecutorService handlerThreads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "task-handler");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Instant handBackAt;

    public TaskExecutor(String workerId, TaskRepository tasks, TaskStatusCache cache, HandlerRegistry handlers,
            RetryBackoff backoff, TaskTypeLimiter limiter, Duration limitDeferral, WorkerMetrics metrics, Clock clock,
            OutcomeWrites outcomeWrites) {
        this.workerId = workerId;
        this.tasks = tasks;
        this.cache = cache;
        this.handlers = handlers;
        this.backoff = backoff;
        this.limiter = limiter;
        this.limitDeferral = limitDeferral;
        this.metrics = metrics;
        this.clock = clock;
        this.outcomeWrites = outcomeWrites;
    }

    /**
     * The worker is stopping: running handlers may go on until {@code grace} has passed, then their
     * tasks are handed back unfinished, to run again elsewhere.
     */
    public void beginShutdown(Duration grace) {
        handBackAt = clock.instant().plus(grace);
    }

    /** Interrupts handlers still running when the context closes (after the shutdown grace). */
    public void close() {
        handlerThreads.shutdownNow();
    }

    public void execute(ReadyTask ready, String pool) {
        MDC.put("taskId", ready.taskId().toString());
        MDC.put("attempt", Integer.toString(ready.attempt()));
        TaskTypeLimiter.Permit permit = limiter.tryAcquire(ready.type(), ready.taskId());
        try {
            if (permit == null) {
                defer(ready);
                return;
            }
            Optional<StoredTask> claimed = claimOnceVisible(ready);
            if (claimed.isEmpty()) {
                log.debug("Task {} attempt {} is not claimable (duplicate, stale or cancelled); skipped",
                        ready.taskId(), ready.attempt());
                return;
            }
            cache.put(claimed.get());
            long started = System.nanoTime();
            Attempt attempt = run(claimed.get());
            metrics.executed(pool, ready.type(), Duration.ofNanos(System.nanoTime() - started));
            record(claimed.get(), attempt, pool);
        } catch (RuntimeException e) {
            // Logged here because the container's error handler retries silently. A claimed task
            // stays 'running' until its lease or this worker's heartbeat runs out, then is rescued.
            log.error("Executing task {} attempt {} failed outside its handler", ready.taskId(), ready.attempt(), e);
            throw e;
        } finally {
            limiter.release(permit);
            MDC.remove("taskId");
            MDC.remove("attempt");
        }
    }

    /**
     * Claims the task, waiting briefly while its row is not visible yet. Logical decoding hands the
     * relay a transaction as soon as its commit record is in the WAL, a moment before other sessions
     * see it; on a loaded machine the task can be released and delivered inside that moment. A claim
     * that found no row would skip the record, and the task would stay pending for good.
     */
    private Optional<StoredTask> claimOnceVisible(ReadyTask ready) {
        try {
            return rowVisibility.execute(() -> {
                Optional<StoredTask> claimed = tasks.claim(ready.taskId(), ready.attempt(), workerId);
                if (claimed.isEmpty() && !tasks.exists(ready.taskId())) {
                    metrics.rowNotVisible();
                    throw new TaskRowNotVisible();
                }
                return claimed;
            });
        } catch (RetryException e) {
            if (e.getLastException() instanceof TaskRowNotVisible) {
                log.warn("Task {} released but its row is not there after {}: skipped", ready.taskId(),
                        ROW_VISIBILITY_WAIT);
                return Optional.empty();
            }
            throw RetryFailures.lastFailure(e, "Claiming task " + ready.taskId());
        }
    }

    private static final class TaskRowNotVisible extends RuntimeException {
        TaskRowNotVisible() {
            super("task row not visible yet", null, false, false);
        }
    }

    private void defer(ReadyTask ready) {
        long jitterMillis = ThreadLocalRandom.current().nextLong(limitDeferral.toMillis() / 2 + 1);
        if (tasks.defer(ready.taskId(), ready.attempt(), clock.instant().plus(limitDeferral).plusMillis(jitterMillis))) {
            metrics.deferred(ready.type());
            log.debug("Task {} of type {} deferred: its limit is full", ready.taskId(), ready.type());
        }
    }

    private Attempt run(StoredTask task) {
        Optional<TaskHandler> handler = handlers.find(task.type());
        if (handler.isEmpty()) {
            return Attempt.failed(new NonRetryableTaskException("No handler for task type '" + task.type() + "'"));
        }
        TaskContext context = new TaskContext(task.id(), task.type(), task.retryCount(),
                Json.mapper().readTree(task.payloadJson()));
        HandlerRun run = new HandlerRun(handlerThreads.submit(() -> handler.get().handle(context)));
        Instant deadline = clock.instant().plus(task.timeout());
        return run.await(deadline, () -> handBackAt, clock);
    }

    private void record(StoredTask task, Attempt attempt, String pool) {
        Optional<StoredTask> recorded;
        String outcome;
        if (attempt.kind() == Attempt.Kind.SUCCEEDED) {
            String result = attempt.outcome().result() == null ? null : Json.write(attempt.outcome().result());
            recorded = outcomeWrites.write("success of " + task.id(),
                    () -> tasks.markSucceeded(task.id(), task.retryCount(), workerId, result));
            outcome = "succeeded";
        } else if (attempt.kind() == Attempt.Kind.ABANDONED) {
            log.info("Task {} ({}) handed back unfinished: worker {} is stopping", task.id(), task.type(), workerId);
            recorded = outcomeWrites.write("hand-back of " + task.id(), () -> tasks.giveBack(task.id(),
                    task.retryCount(), workerId, "handed back unfinished: worker " + workerId + " stopped"));
            outcome = "abandoned";
        } else if (attempt.error() instanceof NonRetryableTaskException || task.retryCount() >= task.maxRetries()) {
            log.warn("Task {} ({}) failed on attempt {}, no retries left: {}", task.id(), task.type(),
                    task.retryCount(), attempt.error().toString());
            recorded = outcomeWrites.write("dead letter of " + task.id(),
                    () -> tasks.markDeadLetter(task.id(), task.retryCount(), workerId, describe(attempt)));
            outcome = "dead_letter";
        } else {
            Instant nextRunAt = clock.instant().plus(backoff.delayAfter(task.retry(), task.retryCount()));
            log.info("Task {} ({}) failed on attempt {}, retrying at {}: {}", task.id(), task.type(),
                    task.retryCount(), nextRunAt, attempt.error().toString());
            recorded = outcomeWrites.write("retry of " + task.id(),
                    () -> tasks.markRetry(task.id(), task.retryCount(), workerId, describe(attempt), nextRunAt));
            outcome = attempt.kind() == Attempt.Kind.TIMED_OUT ? "timed_out" : "retried";
        }
        if (recorded.isPresent()) {
            cache.put(recorded.get());
            metrics.attempt(pool, task.type(), outcome);
        } else {
            metrics.attempt(pool, task.type(), "fenced");
            log.warn("Outcome '{}' of task {} attempt {} refused: worker {} no longer holds the claim "
                    + "(the task was rescued or reset meanwhile)", outcome, task.id(), task.retryCount(), workerId);
        }
    }

    private static String describe(Attempt attempt) {
        Throwable error = attempt.error();
        String text = attempt.kind() == Attempt.Kind.TIMED_OUT
                ? error.getMessage()
                : error.getClass().getName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }
}
