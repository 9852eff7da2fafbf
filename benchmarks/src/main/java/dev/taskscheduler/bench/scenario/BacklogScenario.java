package dev.taskscheduler.bench.scenario;

import dev.taskscheduler.bench.load.Channel;
import dev.taskscheduler.bench.load.Submissions;
import dev.taskscheduler.bench.report.Chart;
import dev.taskscheduler.bench.report.Comparison;
import dev.taskscheduler.bench.report.ScenarioResult;
import dev.taskscheduler.bench.seed.BacklogSeeder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * (e) Scenarios c and d again with a growing backlog of waiting tasks: rows in {@code tasks} and
 * timers in the scheduler's store, seeded around the API (see {@link BacklogSeeder}).
 */
public final class BacklogScenario {

    private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(6);

    private final ScenarioContext context;
    private final Channel channel;
    private final int rate;

    /**
     * @param channel how the end-to-end runs submit (REST)
     * @param rate    offered rate of the end-to-end runs; half the sustained capacity keeps them comparable
     */
    public BacklogScenario(ScenarioContext context, Channel channel, int rate) {
        this.context = context;
        this.channel = channel;
        this.rate = rate;
    }

    public ScenarioResult run() throws Exception {
        ScenarioResult result = new ScenarioResult("backlog", "(e) Growing backlog",
                "Waiting tasks are added up to each level (rows by COPY with triggers off, TaskScheduled events "
                        + "produced straight to task.events, due between 1 and 300 days ahead, routed to a pool no "
                        + "worker reads); once the scheduler has read them all, (c) runs at " + rate + " tasks/s for "
                        + context.plan().stepDuration().toSeconds() + " s and (d) with a burst of "
                        + context.plan().backlogBurst() + " tasks.");
        BacklogSeeder seeder = new BacklogSeeder(context.db(), context.kafka());
        SchedulerState scheduler = new SchedulerState(context);
        List<String> levels = new ArrayList<>();
        List<double[]> e2eP99 = new ArrayList<>();
        List<double[]> burstP99 = new ArrayList<>();
        List<double[]> ingestRates = new ArrayList<>();
        for (int level : context.plan().backlogLevels()) {
            long waiting = context.db().queryLong("SELECT count(*) FROM tasks WHERE status = 'pending'");
            int toSeed = (int) Math.max(0, level - waiting);
            context.progress().status("backlog %,d: %,d tasks wait already, seeding %,d", level, waiting, toSeed);
            long started = System.nanoTime();
            Instant now = Instant.now();
            seeder.seed(toSeed, Submissions.PARKED, now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(300)),
                    true);
            double seeded = (System.nanoTime() - started) / 1e9;
            boolean caughtUp = scheduler.awaitCaughtUp(CATCH_UP_TIMEOUT);
            double ingested = (System.nanoTime() - started) / 1e9;
            context.progress().status("seeded in %.1f s; scheduler read them all after %.1f s (%.0f timers/s)%s",
                    seeded, ingested, toSeed / ingested, caughtUp ? "" : " (NOT caught up)");
            String name = label(level);
            result.figure(name + ".seedSeconds", seeded)
                    .figure(name + ".schedulerIngestTimersPerSecond", toSeed / ingested)
                    .figure(name + ".rows", context.db().queryLong("SELECT count(*) FROM tasks"));
            if (!caughtUp) {
                result.note("At " + name + " the scheduler had not read every event after " + CATCH_UP_TIMEOUT + ".");
            }

            EndToEndStep.Result step = EndToEndStep.run(context, channel, rate, context.plan().stepDuration(),
                    name + ": " + channel.name() + " " + rate + "/s");
            DelayedBurst.Result burst = DelayedBurst.run(context, context.plan().backlogBurst(),
                    context.plan().burstDrainTimeout(), name + ": burst of " + context.plan().backlogBurst());
            context.progress().status("backlog %s: e2e p99 to succeeded %.0f ms (%s); burst lateness p99 %.0f ms",
                    name, step.toSuccess().p99(), step.sustained() ? "sustained" : "NOT sustained",
                    burst.lateToStart().p99());
            result.latency(name + ": e2e to succeeded at " + rate + "/s", step.toSuccess())
                    .latency(name + ": burst lateness of handler start", burst.lateToStart())
                    .figure(name + ".e2eSustained", step.sustained() ? 1 : 0)
                    .figure(name + ".burstDrainRate", burst.drainRate())
                    .check(step.check())
                    .check(burst.check())
                    .cost(step.cost())
                    .cost(burst.cost());
            levels.add(name);
            e2eP99.add(new double[] {step.toSuccess().p99()});
            burstP99.add(new double[] {burst.lateToStart().p99()});
            ingestRates.add(new double[] {toSeed / ingested});
        }
        if (!e2eP99.isEmpty()) {
            result.compare(new Comparison("e2e p99 at the largest backlog, ms", e2eP99.get(e2eP99.size() - 1)[0],
                    "the same at the smallest backlog", e2eP99.get(0)[0]));
        }
        result.chart(Chart.bars("p99 latency by backlog", "ms", levels, List.of(
                        new Chart.Series("e2e to succeeded at " + rate + "/s", e2eP99),
                        new Chart.Series("burst lateness of handler start", burstP99))))
                .chart(Chart.bars("Scheduler ingest of seeded timers", "timers/s", levels,
                        List.of(new Chart.Series("timers/s", ingestRates))));
        return result;
    }

    static String label(long level) {
        return level >= 1_000_000 ? level / 1_000_000 + "M" : level >= 1_000 ? level / 1_000 + "k" : Long.toString(level);
    }
}
