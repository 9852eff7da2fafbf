package dev.taskscheduler.store.cache;

import dev.taskscheduler.store.StoredTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands rows to one writer thread, which writes whatever has queued up meanwhile in one call, so
 * that the threads that commit (the submission consumer, the worker's claims and outcomes) do not
 * wait for Redis. Under load they waited a few milliseconds a transaction for its answer, a fifth
 * to a quarter of their time at 1,000 tasks/s, and every record that arrived meanwhile waited with
 * them.
 *
 * <p>What waits is bounded by size (a row's JSON can be 64 KB): when the budget is spent,
 * {@link #write} waits for room, so a slow Redis slows the committing threads down rather than
 * growing the heap. A row is never dropped, since a dropped row could leave an older version in the
 * cache. One thread writes, in the order the rows came; the cache's compare-and-set keeps the newer
 * of two versions from different processes.
 *
 * <p>The writer lingers a moment after the first row of a batch before it writes, and writes only
 * the newest row of each task in it. A worker's claim and that task's outcome are usually
 * committed within tens of milliseconds of each other: written as one, a short task costs Redis one
 * entry instead of two. Once a whole batch is waiting, it is written without lingering.
 */
final class WriteBehind implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WriteBehind.class);
    /** Counted for a row besides its JSON texts: ids, times, the entry's framing. */
    private static final int ROW_OVERHEAD_CHARS = 256;
    /** How often a lingering writer looks whether a whole batch is waiting. */
    private static final long LINGER_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final BlockingQueue<StoredTask> queue = new LinkedBlockingQueue<>();
    /** Characters of rows that may wait; a row takes its size (at most all of them) until written. */
    private final Semaphore room;
    private final int budgetChars;
    private final int rowsPerWrite;
    private final Duration linger;
    private final Consumer<List<StoredTask>> writer;
    /** Rows accepted and not yet written: queued, or in the writer's hands. */
    private final AtomicInteger unwritten = new AtomicInteger();
    private final Object lifecycle = new Object();
    private Thread thread;
    /** Set under {@code lifecycle}, so that no writer thread starts after it; read without. */
    private volatile boolean closed;

    /**
     * @param budgetChars  size of the rows that may wait, in characters of their JSON; more make
     *                     {@link #write} wait
     * @param rowsPerWrite most rows handed to {@code writer} at once
     * @param linger       how long the writer waits for more rows after the first of a batch, unless a
     *                     whole batch is waiting
     * @param writer       writes rows to Redis; handles its own failures
     */
    WriteBehind(int budgetChars, int rowsPerWrite, Duration linger, Consumer<List<StoredTask>> writer) {
        this.room = new Semaphore(budgetChars);
        this.budgetChars = budgetChars;
        this.rowsPerWrite = rowsPerWrite;
        this.linger = linger;
        this.writer = writer;
    }

    /** Queues the rows, waiting for room when the budget is spent; writes them itself once closed. */
    void write(Collection<StoredTask> rows) {
        List<StoredTask> all = List.copyOf(rows);
        if (!started()) {
            writer.accept(all);
            return;
        }
        int next = 0;
        try {
            while (next < all.size()) {
                StoredTask row = all.get(next);
                if (room.tryAcquire(size(row), 100, TimeUnit.MILLISECONDS)) {
                    unwritten.incrementAndGet();
                    queue.add(row);
                    next++;
                } else if (closed) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (next < all.size()) {
            // Interrupted or closed while waiting: written here rather than lost.
            writer.accept(all.subList(next, all.size()));
        }
        if (closed) {
            // Closed while these were being queued: the writer thread may have stopped already.
            writeQueued();
        }
    }

    /** Takes what is queued and writes it on the calling thread. */
    private void writeQueued() {
        List<StoredTask> left = new ArrayList<>();
        queue.drainTo(left);
        if (left.isEmpty()) {
            return;
        }
        try {
            writer.accept(left);
        } finally {
            written(left);
        }
    }

    /** Gives back the room of rows written (or given up on) and counts them out. */
    private void written(List<StoredTask> rows) {
        int size = 0;
        for (StoredTask row : rows) {
            size += size(row);
        }
        room.release(size);
        unwritten.addAndGet(-rows.size());
    }

    /** Rows queued or being written. */
    int unwritten() {
        return unwritten.get();
    }

    /** Writes what is queued (waiting at most {@code timeout}) and stops the writer thread. */
    void close(Duration timeout) {
        Thread running;
        synchronized (lifecycle) {
            closed = true;
            running = thread;
        }
        if (running == null) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (unwritten.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        running.interrupt();
        if (unwritten.get() > 0) {
            log.warn("{} task rows were not written to Redis before shutdown; their entries may show an older "
                    + "version until they expire", unwritten.get());
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /** The room a row takes while it waits: its JSON texts and a fixed overhead, at most the whole budget. */
    private int size(StoredTask row) {
        long chars = ROW_OVERHEAD_CHARS + length(row.payloadJson()) + length(row.resultJson())
                + length(row.lastError());
        return (int) Math.min(chars, budgetChars);
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }

    /** Starts the writer thread on first use; false once closed. */
    private boolean started() {
        synchronized (lifecycle) {
            if (closed) {
                return false;
            }
            if (thread == null) {
                thread = new Thread(this::run, "task-cache-writer");
                thread.setDaemon(true);
                thread.start();
            }
            return true;
        }
    }

    private void run() {
        List<StoredTask> batch = new ArrayList<>(rowsPerWrite);
        boolean interrupted = false;
        while (!interrupted) {
            try {
                batch.add(queue.take());
                lingerUnlessABatchIsWaiting();
            } catch (InterruptedException e) {
                // Stopping (close() interrupts): what is queued now is written below, later rows by their callers.
                interrupted = true;
            }
            queue.drainTo(batch, rowsPerWrite - batch.size());
            if (batch.isEmpty()) {
                continue;
            }
            try {
                writer.accept(newestOfEach(batch));
            } catch (RuntimeException e) {
                log.warn("Could not cache {} tasks in Redis: {}", batch.size(), e.toString());
            } finally {
                written(batch);
                batch.clear();
            }
        }
    }

    /** Waits out the linger in short naps, so that a whole batch queued meanwhile ends it early. */
    private void lingerUnlessABatchIsWaiting() throws InterruptedException {
        long deadline = System.nanoTime() + linger.toNanos();
        long left;
        while (queue.size() < rowsPerWrite - 1 && (left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, LINGER_NAP_NANOS));
        }
    }

    /** The newest row of each task (by {@code updatedAt}, the later one on a tie), in the order the tasks first came. */
    static List<StoredTask> newestOfEach(List<StoredTask> rows) {
        Map<UUID, StoredTask> newest = new LinkedHashMap<>(rows.size() * 2);
        for (StoredTask row : rows) {
            newest.merge(row.id(), row, (kept, later) -> later.updatedAt().isBefore(kept.updatedAt()) ? kept : later);
        }
        return newest.size() == rows.size() ? rows : List.copyOf(newest.values());
    }
}
