package dev.taskscheduler.bench.scenario;

import dev.taskscheduler.bench.baseline.PostgresBaselines;
import dev.taskscheduler.bench.report.Chart;
import dev.taskscheduler.bench.report.Comparison;
import dev.taskscheduler.bench.report.ScenarioResult;
import java.util.ArrayList;
import java.util.List;

/**
 * (c) End to end at fixed offered rates, stepped up until a rate is not sustained; the highest
 * sustained rate is the system's end-to-end capacity on this machine.
 */
public final class EndToEndScenario {

    private final ScenarioContext context;
    private int maxSustained;

    public EndToEndScenario(ScenarioContext context) {
        this.context = context;
    }

    public ScenarioResult run() throws InterruptedException {
        ScenarioResult result = new ScenarioResult("end-to-end", "(c) End to end, noop tasks at a fixed rate",
                "Open loop: noop tasks submitted one per request at fixed rates of "
                        + context.plan().e2eRates() + " tasks/s, " + context.plan().stepDuration().toSeconds()
                        + " s each, stepping up until one is not sustained. Latency is measured from each task's "
                        + "intended send time (HdrHistogram, corrected for coordinated omission) to the handler start "
                        + "(started_at, set by the worker's claim) and to succeeded (finished_at). Sustained: >= 95 % "
                        + "accepted, no errors, and fewer than one second's worth of tasks unfinished when sending "
                        + "stopped.");
        List<double[]> p99Start = new ArrayList<>();
        List<double[]> p99Success = new ArrayList<>();
        List<double[]> p50Success = new ArrayList<>();
        for (int rate : context.plan().e2eRates()) {
            context.progress().status("offering %d tasks/s for %d s", rate, context.plan().stepDuration().toSeconds());
            EndToEndStep.Result step = EndToEndStep.run(context, rate, context.plan().stepDuration());
            context.progress().status("%d/s: accepted %d of %d, to start p50 %.0f p99 %.0f ms, to success p99 %.0f ms,"
                            + " %d outstanding at send end -> %s", rate, step.accepted(), step.offered(),
                    step.toStart().p50(), step.toStart().p99(), step.toSuccess().p99(), step.outstandingAtSendEnd(),
                    step.sustained() ? "sustained" : "NOT sustained");
            result.latency(rate + "/s to handler start", step.toStart())
                    .latency(rate + "/s to succeeded", step.toSuccess())
                    .figure(rate + "/s.outstandingAtSendEnd", step.outstandingAtSendEnd())
                    .figure(rate + "/s.errors", step.errors());
            p99Start.add(new double[] {rate, step.toStart().p99()});
            p99Success.add(new double[] {rate, step.toSuccess().p99()});
            p50Success.add(new double[] {rate, step.toSuccess().p50()});
            if (!step.sustained()) {
                break;
            }
            maxSustained = rate;
        }
        result.figure("maxSustainedRate", maxSustained)
                .compare(new Comparison("highest sustained rate, tasks/s", maxSustained, PostgresBaselines.TASK,
                        context.results().baseline(PostgresBaselines.TASK)))
                .chart(Chart.lines("Latency by offered rate", "offered tasks/s", "ms", List.of(
                        new Chart.Series("p99 to handler start", p99Start),
                        new Chart.Series("p99 to succeeded", p99Success),
                        new Chart.Series("p50 to succeeded", p50Success))));
        if (maxSustained == context.plan().e2eRates().get(context.plan().e2eRates().size() - 1)) {
            result.note("The highest offered rate was sustained: the capacity is at least this.");
        }
        return result;
    }

    /** The highest sustained rate found by {@link #run()}; 0 when not even the lowest was. */
    public int maxSustained() {
        return maxSustained;
    }
}
