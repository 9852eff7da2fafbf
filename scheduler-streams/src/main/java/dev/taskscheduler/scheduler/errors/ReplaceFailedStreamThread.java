package dev.taskscheduler.scheduler.errors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a stream thread dies. Kafka Streams' own answer, with no handler set, is to
 * shut the whole client down, and a scheduler that no longer runs its client releases no timer
 * until someone restarts it. Most such deaths pass with the thread: a broker restarted mid-commit
 * leaves the thread's transactional producer in a fatal state (InvalidTxnStateException), and a new
 * thread, with a new producer that fences the old one, carries on where the last commit left off.
 * So the thread is replaced, counted in {@code scheduler_stream_thread_replacements_total}. A thread
 * that keeps dying is not a passing failure: after {@code maxReplacements} within {@code window}
 * the client shuts down, health reports it, and the orchestrator restarts the instance.
 */
public final class ReplaceFailedStreamThread implements StreamsUncaughtExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ReplaceFailedStreamThread.class);

    private final int maxReplacements;
    private final Duration window;
    private final Clock clock;
    private final Counter replacements;
    private final Deque<Instant> recent = new ArrayDeque<>();

    public ReplaceFailedStreamThread(int maxReplacements, Duration window, Clock clock, MeterRegistry registry) {
        this.maxReplacements = maxReplacements;
        this.window = window;
        this.clock = clock;
        this.replacements = Counter.builder("scheduler_stream_thread_replacements")
                .description("Stream threads that died and were replaced by a new one")
                .register(registry);
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable failure) {
        Instant now = clock.instant();
        while (!recent.isEmpty() && recent.peekFirst().isBefore(now.minus(window))) {
            recent.pollFirst();
        }
        if (recent.size() >= maxReplacements) {
            log.error("Stream thread died again, the {}th time within {}: shutting the streams client down",
                    recent.size() + 1, window, failure);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        recent.addLast(now);
        replacements.increment();
        log.error("Stream thread died; replacing it (its tasks resume from their last commit)", failure);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
