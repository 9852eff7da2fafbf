package dev.taskscheduler.relay.engine;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import io.debezium.engine.DebeziumEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of the Debezium engine on the relay's engine thread, from start until it stops for whatever reason. */
final class EngineRun {

    private static final Logger log = LoggerFactory.getLogger(EngineRun.class);
    private static final Duration CLOSE_RETRY_INTERVAL = Duration.ofMillis(100);

    /** How the engine ended, as its completion callback reported it. */
    record Outcome(boolean success, String message, Throwable error) {

        static Outcome failed(String message, Throwable error) {
            return new Outcome(false, message, error);
        }

        String describe() {
            String cause = error == null ? "" : ": " + error;
            return (message == null ? "engine stopped" : message) + cause;
        }
    }

    private final DebeziumEngine<?> engine;
    private final Future<?> done;
    private final AtomicReference<Outcome> outcome;
    private final Instant startedAt;

    EngineRun(DebeziumEngine<?> engine, Future<?> done, AtomicReference<Outcome> outcome, Instant startedAt) {
        this.engine = engine;
        this.done = done;
        this.outcome = outcome;
        this.startedAt = startedAt;
    }

    /** @return whether the engine has stopped within {@code timeout} */
    boolean await(Duration timeout) throws InterruptedException {
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            // engine.run() reports its own failures through the completion callback; this is anything else.
            outcome.compareAndSet(null, Outcome.failed("Engine thread failed", e.getCause()));
            return true;
        }
    }

    /**
     * Closes the engine (which commits the offsets of everything delivered) and waits for it to stop. Debezium
     * refuses to close while its tasks start, so this retries until the engine either accepts or ends.
     */
    void stop(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!done.isDone() && System.nanoTime() < deadline) {
                try {
                    engine.close();
                    break;
                } catch (IllegalStateException notNow) {
                    await(CLOSE_RETRY_INTERVAL);
                } catch (IOException e) {
                    log.warn("Closing the Debezium engine failed", e);
                    break;
                }
            }
            if (!await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                log.warn("Debezium engine did not stop within {}", timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How the engine ended; call after {@link #await} returned true. */
    Outcome outcome() {
        Outcome result = outcome.get();
        return result == null ? new Outcome(true, null, null) : result;
    }

    Duration uptime(Instant now) {
        return Duration.between(startedAt, now);
    }
}
