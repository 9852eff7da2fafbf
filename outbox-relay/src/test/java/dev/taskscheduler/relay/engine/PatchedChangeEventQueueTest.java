package dev.taskscheduler.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;

import io.debezium.connector.base.ChangeEventQueue;
import io.debezium.pipeline.Sizeable;
import io.debezium.util.LoggingContext;
import org.junit.jupiter.api.Test;

class PatchedChangeEventQueueTest {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(10);

    private record Event(int number) implements Sizeable {
        @Override
        public long objectSize() {
            return 1;
        }
    }

    private final ChangeEventQueue<Event> queue = queue(POLL_INTERVAL);

    private static ChangeEventQueue<Event> queue(Duration pollInterval) {
        return new ChangeEventQueue.Builder<Event>()
                .pollInterval(pollInterval)
                .maxBatchSize(100)
                .maxQueueSize(1000)
                .loggingContextSupplier(() -> LoggingContext.forConnector("test", "test", "poll"))
                .build();
    }

    @Test
    void theRelaysCopyIsTheOneLoaded() {
        assertThat(PatchedChangeEventQueue.isLoaded())
                .as("ChangeEventQueue loaded from %s", PatchedChangeEventQueue.loadedFrom())
                .isTrue();
    }

    @Test
    void anEmptyPollWaitsItsIntervalAsleep() throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // Compiles what a poll runs, so that the measured polls cost only their waiting.
        ChangeEventQueue<Event> warmUp = queue(Duration.ofMillis(1));
        for (int i = 0; i < 500; i++) {
            warmUp.poll();
        }
        int polls = 50;
        long wallStart = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < polls; i++) {
            assertThat(queue.poll()).isEmpty();
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        long wall = System.nanoTime() - wallStart;

        assertThat(Duration.ofNanos(wall)).isGreaterThanOrEqualTo(POLL_INTERVAL.multipliedBy(polls));
        // Spinning through the last millisecond of each poll made this 0.08-0.1; asleep it is well below 0.02.
        assertThat((double) cpu / wall).as("CPU time / wall time of the polling thread").isLessThan(0.04);
    }

    @Test
    void aPollReturnsWhatWasEnqueued() throws InterruptedException {
        queue.enqueue(new Event(1));
        queue.enqueue(new Event(2));

        List<Event> polled = queue.poll();

        assertThat(polled).containsExactly(new Event(1), new Event(2));
    }
}
