package dev.taskscheduler.bench.measure;

import org.HdrHistogram.Histogram;

/** Latency percentiles in milliseconds, taken from a histogram recorded in microseconds. */
public record Percentiles(long count, double p50, double p95, double p99, double max, double mean) {

    public static Percentiles of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Percentiles(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)),
                ms(micros.getValueAtPercentile(95)), ms(micros.getValueAtPercentile(99)), ms(micros.getMaxValue()),
                micros.getMean() / 1000.0);
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
