package dev.taskscheduler.launcher.testing;

import dev.taskscheduler.worker.handler.NonRetryableTaskException;
import dev.taskscheduler.worker.handler.TaskContext;
import dev.taskscheduler.worker.handler.TaskHandler;
import dev.taskscheduler.worker.handler.TaskOutcome;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Handlers with scripted behaviour, added to the workers of the system tests. */
@Configuration(proxyBeanMethods = false)
public class TestHandlers {

    /** A task type the system tests release by hand (see {@link #releasedByHand()}). */
    public static final String RELEASED_BY_HAND = "released-by-hand";

    /** Executions per task in this JVM (the in-process workers). */
    public static final Map<UUID, AtomicInteger> EXECUTIONS = new ConcurrentHashMap<>();

    /** Handlers of type {@code limited} running right now, in every worker of this JVM. */
    private static final AtomicInteger LIMITED_RUNNING = new AtomicInteger();

    /** The most {@code limited} handlers that ran at once since the last {@link #resetLimitedMost()}. */
    public static final AtomicInteger LIMITED_MOST = new AtomicInteger();

    /** Never opened: handlers wait on it to stand for work that takes time. */
    private static final CountDownLatch NEVER = new CountDownLatch(1);

    /**
     * Keeps the handler busy for {@code millis}, as real work would: this is the duration of the
     * task under test, not a wait for a condition. An interrupt (timeout, shutdown) ends it early.
     */
    private static void busy(long millis) throws InterruptedException {
        NEVER.await(millis, TimeUnit.MILLISECONDS);
    }

    private static int countExecution(TaskContext context) {
        return EXECUTIONS.computeIfAbsent(context.taskId(), id -> new AtomicInteger()).incrementAndGet();
    }

    /** Fails while {@code attempt < payload.failures}, then succeeds. */
    @Bean
    TaskHandler flaky() {
        return handler("flaky", context -> {
            countExecution(context);
            if (context.attempt() < context.payload().path("failures").asInt()) {
                throw new IllegalStateException("scripted failure of attempt " + context.attempt());
            }
            return TaskOutcome.of(Map.of("attempt", context.attempt()));
        });
    }

    /** Fails on its first execution in this JVM, then succeeds. */
    @Bean
    TaskHandler failsOnce() {
        return handler("fails-once", context -> {
            if (countExecution(context) == 1) {
                throw new IllegalStateException("first execution fails");
            }
            return TaskOutcome.empty();
        });
    }

    @Bean
    TaskHandler alwaysFails() {
        return handler("always-fails", context -> {
            countExecution(context);
            throw new IllegalStateException("always fails");
        });
    }

    @Bean
    TaskHandler rejects() {
        return handler("rejects", context -> {
            countExecution(context);
            throw new NonRetryableTaskException("payload can never work");
        });
    }

    /** Counts executions and is busy for {@code payload.millis} (default 0). */
    @Bean
    TaskHandler counted() {
        return handler("counted", context -> {
            countExecution(context);
            busy(context.payload().path("millis").asLong(0));
            return TaskOutcome.empty();
        });
    }

    /**
     * Counts executions, as {@code counted}; the system tests route this type to a pool no worker
     * reads, so such a task runs only when a test releases it by hand on a read pool's ready topic.
     */
    @Bean
    TaskHandler releasedByHand() {
        return handler(RELEASED_BY_HAND, context -> {
            countExecution(context);
            return TaskOutcome.empty();
        });
    }

    /** Is busy for {@code payload.millis} on its first execution in this JVM, then finishes at once. */
    @Bean
    TaskHandler slowOnce() {
        return handler("slow-once", context -> {
            if (countExecution(context) == 1) {
                busy(context.payload().path("millis").asLong(0));
            }
            return TaskOutcome.empty();
        });
    }

    /** A type that the tests give a shared concurrency limit; busy for {@code payload.millis}. */
    @Bean
    TaskHandler limited() {
        return handler("limited", context -> {
            LIMITED_MOST.accumulateAndGet(LIMITED_RUNNING.incrementAndGet(), Math::max);
            try {
                busy(context.payload().path("millis").asLong(300));
            } finally {
                LIMITED_RUNNING.decrementAndGet();
            }
            return TaskOutcome.empty();
        });
    }

    public static void resetLimitedMost() {
        LIMITED_MOST.set(0);
    }

    /** With {@code payload.hang}, hangs on attempt 0 (its worker is killed meanwhile); else busy for {@code millis}. */
    @Bean
    TaskHandler crash() {
        return handler("crash", context -> {
            if (context.attempt() == 0 && context.payload().path("hang").asBoolean()) {
                busy(120_000);
            }
            busy(context.payload().path("millis").asLong(0));
            return TaskOutcome.empty();
        });
    }

    @FunctionalInterface
    interface Body {
        TaskOutcome run(TaskContext context) throws Exception;
    }

    private static TaskHandler handler(String type, Body body) {
        return new TaskHandler() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public TaskOutcome handle(TaskContext context) throws Exception {
                return body.run(context);
            }
        };
    }
}
