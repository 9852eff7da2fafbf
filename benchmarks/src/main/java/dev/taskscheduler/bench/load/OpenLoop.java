package dev.taskscheduler.bench.load;

import dev.taskscheduler.bench.measure.Histograms;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import org.HdrHistogram.Histogram;

/**
 * Submissions at a fixed offered rate on a schedule fixed in advance. Each task keeps the time it
 * was meant to be sent, and latencies are taken from that time: when the system (or the sender)
 * falls behind, the wait before sending counts too, so the figures are corrected for coordinated
 * omission. The sender's own lateness (actual hand-off to the client minus intended time) is
 * recorded, to show whether the generator kept its schedule.
 */
public final class OpenLoop {

    /** Beyond this many unanswered tasks the sender waits (its lateness then shows it). */
    private static final int MAX_IN_FLIGHT = 50_000;

    /**
     * @param intended      intended send time of each accepted task, by handle
     * @param offered       tasks the schedule called for
     * @param sent          tasks handed to the channel (fewer than offered when stopped early)
     * @param sendLateness  actual hand-off minus intended time, microseconds
     * @param stoppedEarly  whether {@code stop} ended sending before the schedule did
     */
    public record Result(Map<String, Instant> intended, long offered, long sent, long errors, String firstError,
            Instant sendStart, Instant sendEnd, Histogram sendLateness, boolean stoppedEarly) {
    }

    private OpenLoop() {
    }

    /**
     * @param accepted called with each accepted task's handle as soon as it is accepted
     * @param stop     asked before each send with the number sent so far; true ends sending
     */
    public static Result run(Channel channel, int ratePerSecond, Duration duration, Consumer<String> accepted,
            LongPredicate stop) throws InterruptedException {
        long count = ratePerSecond * duration.toSeconds();
        double intervalNanos = 1e9 / ratePerSecond;
        Map<String, Instant> intended = new ConcurrentHashMap<>();
        AtomicLong errors = new AtomicLong();
        StringBuffer firstError = new StringBuffer();
        Histogram lateness = Histograms.micros();
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        Instant startInstant = Instant.now();
        long start = System.nanoTime();
        long sent = 0;
        boolean stoppedEarly = false;
        for (long i = 0; i < count; i++) {
            long due = start + (long) (i * intervalNanos);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (stop.test(sent)) {
                stoppedEarly = true;
                break;
            }
            Instant meant = startInstant.plusNanos((long) (i * intervalNanos));
            inFlight.acquire();
            lateness.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
            channel.send(i).whenComplete((handle, failure) -> {
                if (failure == null) {
                    intended.put(handle, meant);
                    accepted.accept(handle);
                } else if (errors.incrementAndGet() == 1) {
                    firstError.append(failure);
                }
                inFlight.release(); // last: the results are read once every permit is back
            });
            sent++;
        }
        Instant sendEnd = Instant.now();
        // Every send answered before the results are read.
        if (!inFlight.tryAcquire(MAX_IN_FLIGHT, 2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("Sends still unanswered two minutes after sending ended");
        }
        inFlight.release(MAX_IN_FLIGHT);
        return new Result(intended, count, sent, errors.get(), firstError.toString(), startInstant, sendEnd, lateness,
                stoppedEarly);
    }
}
