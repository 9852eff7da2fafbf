package dev.taskscheduler.scheduler.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ReplaceFailedStreamThreadTest {

    private static final Instant START = Instant.parse("2026-11-30T11:15:30Z");
    private static final RuntimeException BROKER_RESTARTED_MID_COMMIT =
            new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state.");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void shouldReplaceAThreadThatDied() {
        ReplaceFailedStreamThread handler = handlerAt(START);

        assertThat(handler.handle(BROKER_RESTARTED_MID_COMMIT)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(registry.get("scheduler_stream_thread_replacements").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldShutTheClientDownWhenThreadsKeepDying() {
        ReplaceFailedStreamThread handler = handlerAt(START);
        for (int i = 0; i < 3; i++) {
            assertThat(handler.handle(BROKER_RESTARTED_MID_COMMIT))
                    .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        }

        assertThat(handler.handle(BROKER_RESTARTED_MID_COMMIT)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(registry.get("scheduler_stream_thread_replacements").counter().count()).isEqualTo(3);
    }

    @Test
    void shouldForgetReplacementsOlderThanTheWindow() {
        MutableClock clock = new MutableClock(START);
        ReplaceFailedStreamThread handler = new ReplaceFailedStreamThread(3, Duration.ofMinutes(10), clock, registry);
        for (int i = 0; i < 3; i++) {
            handler.handle(BROKER_RESTARTED_MID_COMMIT);
        }

        clock.now = START.plus(Duration.ofMinutes(11));

        assertThat(handler.handle(BROKER_RESTARTED_MID_COMMIT)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    private ReplaceFailedStreamThread handlerAt(Instant now) {
        return new ReplaceFailedStreamThread(3, Duration.ofMinutes(10), Clock.fixed(now, ZoneOffset.UTC), registry);
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
