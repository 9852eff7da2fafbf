package dev.taskscheduler.bench.load;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Submissions at a fixed offered rate on a schedule fixed in advance. Each task keeps the time it
 * was meant to be sent, and latencies are taken from that time: when the system (or the sender)
 * falls behind, the wait before sending counts too, so the figures are corrected for coordinated
 * omission.
 */
public final class OpenLoop {

    /** Beyond this many requests without an answer the sender waits (and its lateness is measured). */
    private static final int MAX_IN_FLIGHT = 512;

    /**
     * @param intended   intended send time of each accepted task
     * @param sendEnd    when the last request was sent
     */
    public record Result(Map<UUID, Instant> intended, long offered, long errors, Instant sendStart, Instant sendEnd) {
    }

    private OpenLoop() {
    }

    public static Result run(RestClient rest, int ratePerSecond, Duration duration) throws InterruptedException {
        long count = ratePerSecond * duration.toSeconds();
        long intervalNanos = 1_000_000_000L / ratePerSecond;
        Map<UUID, Instant> intended = new ConcurrentHashMap<>();
        AtomicLong errors = new AtomicLong();
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        Instant startInstant = Instant.now();
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long due = start + i * intervalNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            Instant meant = startInstant.plusNanos(i * intervalNanos);
            inFlight.acquire();
            rest.submitAsync(Submissions.noopNow(i)).whenComplete((response, failure) -> {
                inFlight.release();
                if (failure == null && response.statusCode() == 202) {
                    intended.put(RestClient.idOf(response), meant);
                } else {
                    errors.incrementAndGet();
                }
            });
        }
        Instant sendEnd = Instant.now();
        // Every request answered before the results are read.
        if (!inFlight.tryAcquire(MAX_IN_FLIGHT, 2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("Requests still unanswered two minutes after sending ended");
        }
        inFlight.release(MAX_IN_FLIGHT);
        return new Result(intended, count, errors.get(), startInstant, sendEnd);
    }
}
