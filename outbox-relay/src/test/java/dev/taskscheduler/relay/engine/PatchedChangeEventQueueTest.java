package dev.taskscheduler.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
    void anEmptyPollSleepsThroughItsIdleWait() throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // Compiles what a poll runs, so that the measured poll costs only its waiting.
        ChangeEventQueue<Event> warmUp = queue(Duration.ofMillis(1));
        for (int i = 0; i < 500; i++) {
            warmUp.enqueue(new Event(i));
            warmUp.poll();
        }
        long wallStart = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        assertThat(queue.poll()).isEmpty();
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        long wall = System.nanoTime() - wallStart;

        // Not an empty batch every poll interval: one after the idle wait, asleep all along.
        assertThat(Duration.ofNanos(wall)).isGreaterThanOrEqualTo(ChangeEventQueue.IDLE_WAIT);
        assertThat((double) cpu / wall).as("CPU time / wall time of the polling thread").isLessThan(0.02);
    }

    @Test
    void aRecordReachingAnIdlePollComesWithTheOthersOfItsInterval() throws InterruptedException {
        Duration interval = Duration.ofMillis(100);
        ChangeEventQueue<Event> slow = queue(interval);
        ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
        try {
            long start = System.nanoTime();
            producer.schedule(() -> enqueue(slow, new Event(1)), 250, TimeUnit.MILLISECONDS);
            producer.schedule(() -> enqueue(slow, new Event(2)), 280, TimeUnit.MILLISECONDS);

            List<Event> polled = slow.poll();

            // Polls of 100 ms back to back from the start would have returned both at 300 ms.
            assertThat(polled).containsExactly(new Event(1), new Event(2));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
        } finally {
            producer.shutdownNow();
        }
    }

    @Test
    void aProducerFailureEndsAnIdleWaitAtOnce() {
        RuntimeException failure = new IllegalStateException("replication connection lost");
        ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
        try {
            long start = System.nanoTime();
            producer.schedule(() -> queue.producerException(failure), 50, TimeUnit.MILLISECONDS);

            assertThatThrownBy(queue::poll).isSameAs(failure);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ChangeEventQueue.IDLE_WAIT);
        } finally {
            producer.shutdownNow();
        }
    }

    @Test
    void theRestOfAnIntervalEndsOnItsBoundary() {
        Duration interval = Duration.ofMillis(10);
        assertThat(ChangeEventQueue.restOfInterval(Duration.ofMillis(25), interval)).isEqualTo(Duration.ofMillis(5));
        assertThat(ChangeEventQueue.restOfInterval(Duration.ofMillis(3), interval)).isEqualTo(Duration.ofMillis(7));
        assertThat(ChangeEventQueue.restOfInterval(Duration.ofMillis(30), interval)).isEqualTo(interval);
        assertThat(ChangeEventQueue.restOfInterval(Duration.ZERO, interval)).isEqualTo(interval);
    }

    private static void enqueue(ChangeEventQueue<Event> queue, Event event) {
        try {
            queue.enqueue(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aPollReturnsWhatWasEnqueued() throws InterruptedException {
        queue.enqueue(new Event(1));
        queue.enqueue(new Event(2));

        List<Event> polled = queue.poll();

        assertThat(polled).containsExactly(new Event(1), new Event(2));
    }
}
