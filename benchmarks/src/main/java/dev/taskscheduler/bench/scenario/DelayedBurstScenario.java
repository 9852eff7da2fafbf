package dev.taskscheduler.bench.scenario;

import dev.taskscheduler.bench.baseline.PostgresBaselines;
import dev.taskscheduler.bench.report.Comparison;
import dev.taskscheduler.bench.report.ScenarioResult;

/** (d) Delayed tasks: lateness of handler start versus runAt for a burst coming due together. */
public final class DelayedBurstScenario {

    private final ScenarioContext context;

    public DelayedBurstScenario(ScenarioContext context) {
        this.context = context;
    }

    public ScenarioResult run() throws Exception {
        int size = context.plan().burstSize();
        ScenarioResult result = new ScenarioResult("delayed-burst", "(d) Delayed burst",
                size + " noop tasks with the same runAt, submitted ahead of it through the batch endpoint (500 per "
                        + "request). Lateness = handler start (started_at) minus runAt; drain = runAt until the last "
                        + "handler start. The burst drains at the worker's pace, so the tail of the lateness is "
                        + "queueing behind the burst itself.");
        DelayedBurst.Result burst = DelayedBurst.run(context, size);
        context.progress().status("lateness to handler start p50 %.0f p99 %.0f max %.0f ms; drained in %.1f s",
                burst.lateToStart().p50(), burst.lateToStart().p99(), burst.lateToStart().max(), burst.drainSeconds());
        result.latency("lateness of handler start", burst.lateToStart())
                .latency("lateness of succeeded", burst.lateToSuccess())
                .figure("size", burst.size())
                .figure("drainSeconds", burst.drainSeconds())
                .figure("drainRate", burst.drainRate())
                .compare(new Comparison("burst drain rate, tasks/s", burst.drainRate(), PostgresBaselines.TASK,
                        context.results().baseline(PostgresBaselines.TASK)));
        if (burst.unfinished() > 0) {
            result.note(burst.unfinished() + " tasks of the burst had not succeeded when measuring stopped.");
        }
        if (burst.submitLate()) {
            result.note("Submitting took longer than the lead: the earliest lateness includes submission time.");
        }
        return result;
    }
}
