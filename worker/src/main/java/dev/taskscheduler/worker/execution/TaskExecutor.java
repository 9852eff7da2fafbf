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
import dev.taskscheduler.worker.handler.TaskOutcome;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one released task: claim it in PostgreSQL, run its handler, record the outcome.
 *
 * <p>The claim is a conditional update on (task id, status pending, attempt), so of several
 * deliveries of the same ready record only one runs; the others find nothing to claim and are
 * skipped. The outcome is written only while this worker still holds that claim.
 */
public class TaskExecutor {

    private static final Logger log = LoggerFactory.getLogger(TaskExecutor.class);
    private static final int MAX_ERROR_LENGTH = 4000;

    private final String workerId;
    private final TaskRepository tasks;
    private final TaskStatusCache cache;
    private final HandlerRegistry handlers;
    private final RetryBackoff backoff;
    private final Clock clock;

    public TaskExecutor(String workerId, TaskRepository tasks, TaskStatusCache cache, HandlerRegistry handlers,
            RetryBackoff backoff, Clock clock) {
        this.workerId = workerId;
        this.tasks = tasks;
        this.cache = cache;
        this.handlers = handlers;
        this.backoff = backoff;
        this.clock = clock;
    }

    public void execute(ReadyTask ready) {
        MDC.put("taskId", ready.taskId().toString());
        MDC.put("attempt", Integer.toString(ready.attempt()));
        try {
            Optional<StoredTask> claimed = tasks.claim(ready.taskId(), ready.attempt(), workerId);
            if (claimed.isEmpty()) {
                log.debug("Task {} attempt {} is not claimable (duplicate, stale or cancelled); skipped",
                        ready.taskId(), ready.attempt());
                return;
            }
            cache.put(claimed.get());
            record(claimed.get(), run(claimed.get()));
        } catch (RuntimeException e) {
            // Logged here because the container's error handler retries silently; the task stays
            // 'running' until it is rescued, so the log must say which one.
            log.error("Executing task {} attempt {} failed outside its handler", ready.taskId(), ready.attempt(), e);
            throw e;
        } finally {
            MDC.remove("taskId");
            MDC.remove("attempt");
        }
    }

    private Attempt run(StoredTask task) {
        Optional<TaskHandler> handler = handlers.find(task.type());
        if (handler.isEmpty()) {
            return Attempt.failed(new NonRetryableTaskException("No handler for task type '" + task.type() + "'"));
        }
        TaskContext context = new TaskContext(task.id(), task.type(), task.retryCount(),
                Json.mapper().readTree(task.payloadJson()));
        try {
            return Attempt.succeeded(handler.get().handle(context));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Attempt.failed(e);
        } catch (Exception e) {
            return Attempt.failed(e);
        }
    }

    private void record(StoredTask task, Attempt attempt) {
        Optional<StoredTask> recorded;
        if (attempt.error() == null) {
            String result = attempt.outcome().result() == null ? null : Json.write(attempt.outcome().result());
            recorded = tasks.markSucceeded(task.id(), task.retryCount(), workerId, result);
        } else if (attempt.error() instanceof NonRetryableTaskException || task.retryCount() >= task.maxRetries()) {
            log.warn("Task {} ({}) failed on attempt {}, no retries left: {}", task.id(), task.type(),
                    task.retryCount(), attempt.error().toString());
            recorded = tasks.markDeadLetter(task.id(), task.retryCount(), workerId, describe(attempt.error()));
        } else {
            var nextRunAt = clock.instant().plus(backoff.delayAfter(task.retryCount()));
            log.info("Task {} ({}) failed on attempt {}, retrying at {}: {}", task.id(), task.type(),
                    task.retryCount(), nextRunAt, attempt.error().toString());
            recorded = tasks.markRetry(task.id(), task.retryCount(), workerId, describe(attempt.error()), nextRunAt);
        }
        recorded.ifPresentOrElse(cache::put, () -> log.warn(
                "Outcome of task {} attempt {} rejected: this worker no longer holds the claim",
                task.id(), task.retryCount()));
    }

    private static String describe(Throwable error) {
        String text = error.getClass().getName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }

    private record Attempt(TaskOutcome outcome, Throwable error) {

        static Attempt succeeded(TaskOutcome outcome) {
            return new Attempt(outcome == null ? TaskOutcome.empty() : outcome, null);
        }

        static Attempt failed(Throwable error) {
            return new Attempt(null, error);
        }
    }
}
