package dev.taskscheduler.bench.cost;

/**
 * CPU spent by one process, or one part of the services' process, over a measured span.
 *
 * @param cpuMs       CPU time in milliseconds
 * @param corePercent that time as a share of one core over the span (200 = two cores busy)
 * @param msPerTask   CPU milliseconds per task of the span; NaN when the span had no tasks
 */
public record ComponentCost(String name, double cpuMs, double corePercent, double msPerTask) {

    static ComponentCost of(String name, double cpuMs, double seconds, long tasks) {
        return new ComponentCost(name, cpuMs, cpuMs / (seconds * 10), tasks > 0 ? cpuMs / tasks : Double.NaN);
    }
}
