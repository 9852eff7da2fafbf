package dev.taskscheduler.bench.report;

/**
 * A scenario's figure set against the baseline it is bounded by.
 *
 * @param measured      what the scenario achieved, e.g. "tasks/s accepted"
 * @param value         the scenario's figure
 * @param baseline      the baseline's name
 * @param baselineValue the baseline's figure in the same unit
 */
public record Comparison(String measured, double value, String baseline, double baselineValue) {

    public double ratio() {
        return baselineValue > 0 ? value / baselineValue : Double.NaN;
    }
}
