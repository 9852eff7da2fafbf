package dev.taskscheduler.worker.execution;

import dev.taskscheduler.model.Json;
import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.worker.handler.HandlerRegistry;
import dev.taskscheduler.worker.handler.NonRetryableTaskException;
import dev.taskscheduler.worker.handler.TaskContext;
import dev.taskscheduler.worker.handler.TaskHandler;
import dev.taskscheduler.worker.limits.TaskTypeLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.MDC;

/**
 * The handler threads of one pool and priority: at most {@code capacity} handlers run at once, and
 * the consumer takes no more released tasks than there are free slots, so a claimed task always
 * starts at once and long tasks never hold the consumer back (nor make it miss a poll). A slot is
 * free again when its handler returns, however its attempt was settled, unless the outcomes of
 * finished attempts wait to be written in such numbers that claiming more would only pile up
 * claims ({@link OutcomeWriter#behind()}).
 */
public final class HandlerPool {

    private final int capacity;
    private final AtomicInteger busy = new AtomicInteger();
    private final ThreadPoolExecutor threads;
    private final HandlerRegistry handlers;
    private final OutcomeWriter outcomes;
    private final TaskTypeLimiter limiter;
    private final WorkerMetrics metrics;
    private final Clock clock;
    private volatile Runnable onSlotFreed = () -> {
    };

    HandlerPool(String name, int capacity, HandlerRegistry handlers, OutcomeWriter outcomes, TaskTypeLimiter limiter,
            WorkerMetrics metrics, Clock clock) {
        this.capacity = capacity;
        this.handlers = handlers;
        this.outcomes = outcomes;
        this.limiter = limiter;
        this.metrics = metrics;
        this.clock = clock;
        AtomicInteger threadNumber = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(capacity, capacity, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, name + "-handler-" + threadNumber.getAndIncrement());
                    thread.setDaemon(true);
                    return thread;
                });
        this.threads.allowCoreThreadTimeOut(true);
    }

    /** Called whenever a slot frees up (the consumer resumes when it had paused). */
    public void onSlotFreed(Runnable listener) {
        this.onSlotFreed = listener;
    }

    /** Slots for new tasks: none while the outcome writer is behind, however many handlers are idle. */
    public int freeSlots() {
        return outcomes.behind() ? 0 : capacity - busy.get();
    }

    void start(Execution execution) {
        busy.incrementAndGet();
        threads.execute(() -> {
            try {
                run(execution);
            } finally {
                busy.decrementAndGet();
                onSlotFreed.run();
            }
        });
    }

    private void run(Execution execution) {
        StoredTask task = execution.task();
        MDC.put("taskId", task.id().toString());
        MDC.put("attempt", Integer.toString(task.retryCount()));
        long started = System.nanoTime();
        Attempt attempt;
        try {
            execution.started(Thread.currentThread(), clock.instant().plus(task.timeout()));
            attempt = call(task);
        } finally {
            execution.returned();
            Thread.interrupted(); // a timeout's or hand-back's interrupt must not reach the next task
            limiter.release(execution.permit());
            MDC.remove("taskId");
            MDC.remove("attempt");
        }
        metrics.executed(execution.pool(), task.type(), Duration.ofNanos(System.nanoTime() - started));
        if (execution.settle()) {
            outcomes.add(execution, attempt);
        }
    }

    private Attempt call(StoredTask task) {
        Optional<TaskHandler> handler = handlers.find(task.type());
        if (handler.isEmpty()) {
            return Attempt.failed(new NonRetryableTaskException("No handler for task type '" + task.type() + "'"));
        }
        try {
            TaskContext context = new TaskContext(task.id(), task.type(), task.retryCount(),
                    Json.mapper().readTree(task.payloadJson()));
            return Attempt.succeeded(handler.get().handle(context));
        } catch (Throwable e) { // what a handler throws is its attempt's failure, Errors included
            return Attempt.failed(e);
        }
    }

    /** Interrupts idle and running threads alike; call once every attempt is settled. */
    void shutdownNow() {
        threads.shutdownNow();
    }
}
