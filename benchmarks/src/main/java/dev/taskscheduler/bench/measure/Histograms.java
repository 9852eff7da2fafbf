package dev.taskscheduler.bench.measure;

import java.time.Duration;
import java.time.Instant;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** Histograms of durations in microseconds, from 1 µs to one hour at three significant digits. */
public final class Histograms {

    private static final long HIGHEST = Duration.ofHours(1).toNanos() / 1000;

    private Histograms() {
    }

    public static Histogram micros() {
        return new Histogram(1, HIGHEST, 3);
    }

    public static Histogram concurrentMicros() {
        return new ConcurrentHistogram(1, HIGHEST, 3);
    }

    /**
     * Records {@code to - from}; a negative difference (clocks of one machine read through different
     * paths, off by microseconds) counts as the smallest value rather than being lost.
     */
    public static void record(Histogram histogram, Instant from, Instant to) {
        long micros = Duration.between(from, to).toNanos() / 1000;
        histogram.recordValue(Math.min(HIGHEST, Math.max(1, micros)));
    }
}
