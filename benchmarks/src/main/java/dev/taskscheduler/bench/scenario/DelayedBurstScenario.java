package dev.taskscheduler.bench.scenario;

import dev.taskscheduler.bench.baseline.PostgresBaselines;
import dev.taskscheduler.bench.peer.DbSchedulerPeer;
import dev.taskscheduler.bench.report.Chart;
import dev.taskscheduler.bench.report.Comparison;
import dev.taskscheduler.bench.report.ScenarioResult;
import java.time.Duration;
import java.util.List;

/** (d) Delayed tasks: lateness of handler start versus runAt for a large burst coming due together. */
public final class DelayedBurstScenario {

    private final ScenarioContext context;

    public DelayedBurstScenario(ScenarioContext context) {
        this.context = context;
    }

    public ScenarioResult run() throws Exception {
        PipelineDrain.await(context, Duration.ofMinutes(2));
        int size = context.plan().burstSize();
        ScenarioResult result = new ScenarioResult("delayed-burst", "(d) Delayed burst of " + size + " tasks",
                size + " noop tasks with the same runAt, submitted ahead of it through the batch endpoint (500 per "
                        + "request), run by the worker's default pool. Lateness = handler start (started_at) minus "
                        + "runAt; drain = runAt until the last handler start. The target is every handler started "
                        + "within " + DelayedBurst.TARGET.toSeconds() + " s of runAt. What has not succeeded "
                        + context.plan().burstDrainTimeout().toSeconds() + " s after runAt is reported unfinished.");
        DelayedBurst.Result burst = DelayedBurst.run(context, size, context.plan().burstDrainTimeout(),
                "burst of " + size);
        context.progress().status("lateness to handler start p50 %.0f p99 %.0f max %.0f ms; drained in %.1f s "
                        + "(%.0f tasks/s); target %s", burst.lateToStart().p50(), burst.lateToStart().p99(),
                burst.lateToStart().max(), burst.drainSeconds(), burst.drainRate(),
                burst.targetMet() ? "met" : "NOT met");
        context.progress().status("  check %s", burst.check().describe());
        result.latency("lateness of handler start", burst.lateToStart())
                .latency("lateness of succeeded", burst.lateToSuccess())
                .figure("size", burst.size())
                .figure("leadSeconds", burst.leadSeconds())
                .figure("drainSeconds", burst.drainSeconds())
                .figure("drainRate", burst.drainRate())
                .figure("unfinished", burst.unfinished())
                .figure("targetMet", burst.targetMet() ? 1 : 0)
                .check(burst.check())
                .cost(burst.cost())
                .compare(new Comparison("burst drain rate, tasks/s", burst.drainRate(), DbSchedulerPeer.ID,
                        context.results().baseline(DbSchedulerPeer.ID)))
                .compare(new Comparison("burst drain rate, tasks/s", burst.drainRate(), PostgresBaselines.TASK,
                        context.results().baseline(PostgresBaselines.TASK)))
                .compare(new Comparison("burst drain rate, tasks/s", burst.drainRate(), PostgresBaselines.TASK_BATCH,
                        context.results().baseline(PostgresBaselines.TASK_BATCH)))
                .chart(Chart.bars("Lateness of handler start in the burst", "ms", List.of("p50", "p99", "max"),
                        List.of(new Chart.Series("ms", List.of(new double[] {burst.lateToStart().p50()},
                                new double[] {burst.lateToStart().p99()}, new double[] {burst.lateToStart().max()})))));
        result.note("Target (every handler started within " + DelayedBurst.TARGET.toSeconds() + " s of runAt): "
                + (burst.targetMet() ? "met." : "NOT met."));
        if (burst.unfinished() > 0) {
            result.note(burst.unfinished() + " tasks of the burst had not succeeded "
                    + context.plan().burstDrainTimeout().toSeconds() + " s after runAt; they were cancelled.");
        }
        if (burst.submitLate()) {
            result.note("Submitting took longer than the lead: the earliest lateness includes submission time.");
        }
        return result;
    }
}
