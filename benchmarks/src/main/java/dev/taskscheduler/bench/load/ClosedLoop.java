package dev.taskscheduler.bench.load;

import dev.taskscheduler.bench.measure.Histograms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * N clients, each sending its next request as soon as the last one is answered: the throughput
 * the system reaches under that concurrency, with the response times it has while saturated.
 */
public final class ClosedLoop {

    /**
     * @param tasks                tasks accepted in the measured time (a batch request accepts several)
     * @param tasksIncludingWarmup tasks accepted from the first request to the last, the divisor of
     *                             the CPU spent over the whole run
     */
    public record Result(long requests, long tasks, long tasksIncludingWarmup, long errors, double seconds,
            Histogram latencyMicros) {

        public double tasksPerSecond() {
            return tasks / seconds;
        }

        public double requestsPerSecond() {
            return requests / seconds;
        }
    }

    private ClosedLoop() {
    }

    /**
     * @param call one request; returns the number of tasks it got accepted, or -1 for an error
     */
    public static Result run(int clients, Duration warmup, Duration measured, Callable<Integer> call)
            throws InterruptedException {
        Histogram latency = Histograms.concurrentMicros();
        AtomicLong requests = new AtomicLong();
        AtomicLong tasks = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong allTasks = new AtomicLong();
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long end = measureFrom + measured.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    long started = System.nanoTime();
                    int accepted;
                    try {
                        accepted = call.call();
                    } catch (Exception e) {
                        accepted = -1;
                    }
                    long finished = System.nanoTime();
                    if (accepted > 0) {
                        allTasks.addAndGet(accepted);
                    }
                    // Counted by when they finished, so slow requests that span the warm-up still count.
                    if (finished >= measureFrom && finished <= end) {
                        requests.incrementAndGet();
                        latency.recordValue(Math.max(1, (finished - started) / 1000));
                        if (accepted < 0) {
                            errors.incrementAndGet();
                        } else {
                            tasks.addAndGet(accepted);
                        }
                    }
                }
            }, "closed-loop-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Result(requests.get(), tasks.get(), allTasks.get(), errors.get(), measured.toNanos() / 1e9,
                latency);
    }
}
