package dev.taskscheduler.store.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.store.StoredTask;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The writer thread's rules, with a recording writer in place of Redis. */
class WriteBehindTest {

    /** The room one of these rows takes: its payload {@code {}} and the fixed overhead. */
    private static final int ROW_SIZE = 2 + 256;

    private final List<List<StoredTask>> calls = Collections.synchronizedList(new ArrayList<>());
    /** Holds the writer inside its first call until released. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch firstCallStarted = new CountDownLatch(1);
    private WriteBehind behind;

    @AfterEach
    void close() {
        release.countDown();
        if (behind != null) {
            behind.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void writesWhatQueuedUpWhileItWasBusyInOneCallInOrder() {
        behind = new WriteBehind(100 * ROW_SIZE, 50, Duration.ZERO, this::recordHoldingTheFirstCall);
        List<StoredTask> first = rows(1);
        List<StoredTask> later = rows(30);

        behind.write(first);
        awaitFirstCall();
        for (StoredTask row : later) {
            behind.write(List.of(row));
        }
        release.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> behind.unwritten() == 0);
        assertThat(calls).containsExactly(first, later);
    }

    @Test
    void aFullQueueMakesTheCommittingThreadWaitAndLosesNothing() throws Exception {
        // Room for five rows: the one in the writer's hands and four queued.
        behind = new WriteBehind(5 * ROW_SIZE, 3, Duration.ZERO, this::recordHoldingTheFirstCall);
        List<StoredTask> first = rows(1);
        List<StoredTask> more = rows(10);
        behind.write(first);
        awaitFirstCall();

        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> behind.write(more));

        await().atMost(Duration.ofSeconds(5)).until(() -> behind.unwritten() == 1 + 4);
        assertThat(writing).as("waits for room").isNotDone();
        release.countDown();
        writing.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> behind.unwritten() == 0);
        assertThat(calls).allSatisfy(call -> assertThat(call).hasSizeLessThanOrEqualTo(3));
        assertThat(calls.stream().flatMap(List::stream).toList())
                .containsExactlyElementsOf(concat(first, more));
    }

    @Test
    void aRowLargerThanTheWholeBudgetStillPasses() {
        behind = new WriteBehind(ROW_SIZE, 10, Duration.ZERO, rows -> calls.add(List.copyOf(rows)));
        List<StoredTask> large = rows(3).stream().map(row -> new StoredTask(row.id(), row.type(),
                "{\"text\":\"" + "x".repeat(10 * ROW_SIZE) + "\"}", row.status(), row.runAt(), row.retryCount(),
                row.maxRetries(), row.workerId(), row.createdAt(), row.updatedAt(), row.startedAt(), row.finishedAt(),
                row.lastError(), row.resultJson(), row.idempotencyKey(), row.requestFingerprint(), row.timeout(),
                row.retry(), row.replayCount(), row.priority())).toList();

        behind.write(large);

        await().atMost(Duration.ofSeconds(5)).until(() -> behind.unwritten() == 0);
        assertThat(calls.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(large);
    }

    @Test
    void closingWritesWhatIsQueuedAndLaterRowsAreWrittenByTheirCaller() {
        behind = new WriteBehind(100 * ROW_SIZE, 50, Duration.ZERO, this::recordHoldingTheFirstCall);
        List<StoredTask> first = rows(1);
        List<StoredTask> queued = rows(5);
        behind.write(first);
        awaitFirstCall();
        behind.write(queued);
        release.countDown();

        behind.close(Duration.ofSeconds(5));
        List<StoredTask> afterClose = rows(2);
        behind.write(afterClose);

        assertThat(behind.unwritten()).isZero();
        assertThat(calls).containsExactly(first, queued, afterClose);
    }

    @Test
    void writesOnlyTheNewestRowOfEachTaskThatCameWhileItLingered() {
        behind = new WriteBehind(100 * ROW_SIZE, 50, Duration.ofMillis(300), rows -> calls.add(List.copyOf(rows)));
        List<StoredTask> claimed = rows(2);
        StoredTask finished = CacheRows.withStatus(claimed.get(0), TaskStatus.SUCCEEDED,
                claimed.get(0).updatedAt().plusMillis(5));

        behind.write(claimed);
        behind.write(List.of(finished));

        await().atMost(Duration.ofSeconds(5)).until(() -> behind.unwritten() == 0);
        assertThat(calls).containsExactly(List.of(finished, claimed.get(1)));
    }

    @Test
    void aWholeBatchWaitingEndsTheLingerAtOnce() {
        behind = new WriteBehind(100 * ROW_SIZE, 3, Duration.ofHours(1), rows -> calls.add(List.copyOf(rows)));
        List<StoredTask> batch = rows(3);

        for (StoredTask row : batch) {
            behind.write(List.of(row));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> behind.unwritten() == 0);
        assertThat(calls).containsExactly(batch);
    }

    private void recordHoldingTheFirstCall(List<StoredTask> rows) {
        calls.add(List.copyOf(rows));
        if (firstCallStarted.getCount() > 0) {
            firstCallStarted.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitFirstCall() {
        await().atMost(Duration.ofSeconds(5)).until(() -> firstCallStarted.getCount() == 0);
    }

    private static List<StoredTask> concat(List<StoredTask> a, List<StoredTask> b) {
        List<StoredTask> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<StoredTask> rows(int count) {
        Instant now = Instant.now();
        return IntStream.range(0, count).mapToObj(i -> CacheRows.row(UUID.randomUUID(), TaskStatus.PENDING, now))
                .toList();
    }
}
