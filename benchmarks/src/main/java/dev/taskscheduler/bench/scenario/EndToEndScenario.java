package dev.taskscheduler.bench.scenario;

import dev.taskscheduler.bench.baseline.PostgresBaselines;
import dev.taskscheduler.bench.load.Channel;
import dev.taskscheduler.bench.peer.DbSchedulerPeer;
import dev.taskscheduler.bench.report.Chart;
import dev.taskscheduler.bench.report.Comparison;
import dev.taskscheduler.bench.report.ScenarioResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * (c) End to end at fixed offered rates through one channel (REST, or the submission topic),
 * stepped up until a rate is not sustained; the highest sustained rate is the system's end-to-end
 * capacity on this machine through that channel.
 */
public final class EndToEndScenario {

    /** Send lateness (p99) beyond which the report says the generator did not keep its schedule. */
    private static final double GENERATOR_LATE_MS = 50;

    /** How long the scenario waits for the work of earlier ones to pass through before it starts. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(2);

    private final ScenarioContext context;
    private final Channel channel;
    private int maxSustained;

    public EndToEndScenario(ScenarioContext context, Channel channel) {
        this.context = context;
        this.channel = channel;
    }

    public ScenarioResult run() throws InterruptedException {
        boolean rest = channel.name().equals("REST");
        ScenarioResult result = new ScenarioResult(rest ? "end-to-end" : "end-to-end-topic",
                rest ? "(c) End to end over REST, noop tasks at a fixed rate"
                        : "(c2) End to end through the submission topic, noop tasks at a fixed rate",
                "Open loop: noop tasks due now, "
                        + (rest ? "one per POST /api/v1/tasks (asynchronous HTTP client, keep-alive connections)"
                                : "one keyed record per task produced to tasks.submissions (acks=all)")
                        + ", at fixed rates of " + context.plan().e2eRates() + " tasks/s, "
                        + context.plan().stepDuration().toSeconds() + " s each, stepping up until one is not "
                        + "sustained. Latency is measured from each task's intended send time (HdrHistogram, "
                        + "corrected for coordinated omission) to the handler start (started_at, set by the worker's "
                        + "claim) and to succeeded (finished_at); send lateness is the generator's own (hand-off to "
                        + "the client minus intended time). Sustained: >= 95 % accepted, no errors, every task "
                        + "succeeded, and fewer than one second's worth of tasks unfinished when sending stopped. A "
                        + "step is given up as soon as more than " + EndToEndStep.GIVE_UP_SECONDS + " seconds' worth "
                        + "(or half the step's) of tasks are open; its leftovers are cancelled. When half the highest "
                        + "sustained rate is not one of the steps, one more step runs at that rate.");
        awaitQuiet(result, "Earlier work had not passed through the pipeline after " + DRAIN_TIMEOUT.toSeconds()
                + " s when this scenario started: its first step waits behind it.");
        List<double[]> p99Start = new ArrayList<>();
        List<double[]> p99Success = new ArrayList<>();
        List<double[]> p50Success = new ArrayList<>();
        for (int rate : context.plan().e2eRates()) {
            EndToEndStep.Result step = step(rate, result);
            p99Start.add(new double[] {rate, step.toStart().p99()});
            p99Success.add(new double[] {rate, step.toSuccess().p99()});
            p50Success.add(new double[] {rate, step.toSuccess().p50()});
            if (!step.sustained()) {
                break;
            }
            maxSustained = rate;
        }
        int half = maxSustained / 2;
        if (half > 0 && !context.plan().e2eRates().contains(half)) {
            // The latency target is set at half the capacity, which need not be one of the steps.
            awaitQuiet(result, "The step at half the highest sustained rate started before the earlier steps' work "
                    + "had passed through the pipeline.");
            step(half, result);
        }
        result.figure("maxSustainedRate", maxSustained)
                .figure("halfSustainedRate", half)
                .compare(new Comparison("highest sustained rate, tasks/s", maxSustained, DbSchedulerPeer.ID,
                        context.results().baseline(DbSchedulerPeer.ID)))
                .compare(new Comparison("highest sustained rate, tasks/s", maxSustained, PostgresBaselines.TASK,
                        context.results().baseline(PostgresBaselines.TASK)))
                .compare(new Comparison("highest sustained rate, tasks/s", maxSustained, PostgresBaselines.TASK_BATCH,
                        context.results().baseline(PostgresBaselines.TASK_BATCH)))
                .chart(Chart.lines("Latency by offered rate (" + channel.name() + ")", "offered tasks/s", "ms",
                        List.of(new Chart.Series("p99 to handler start", p99Start),
                                new Chart.Series("p99 to succeeded", p99Success),
                                new Chart.Series("p50 to succeeded", p50Success))));
        List<Integer> rates = context.plan().e2eRates();
        if (maxSustained == rates.get(rates.size() - 1)) {
            result.note("The highest offered rate was sustained: the capacity is at least this.");
        } else if (maxSustained == 0) {
            result.note("Not even the lowest offered rate (" + rates.get(0) + " tasks/s) was sustained.");
        }
        return result;
    }

    /** Offers {@code rate} for one step and records its latencies, figures, check and cost. */
    /**
     * Waits (at most two minutes each) until earlier work has passed through the pipeline, noting
     * {@code lateNote} when it has not, and until autovacuum has finished with the rows it left.
     */
    private void awaitQuiet(ScenarioResult result, String lateNote) throws InterruptedException {
        if (!PipelineDrain.await(context, DRAIN_TIMEOUT)) {
            result.note(lateNote);
        }
        Autovacuum.awaitIdle(context, DRAIN_TIMEOUT);
    }

    private EndToEndStep.Result step(int rate, ScenarioResult result) throws InterruptedException {
        context.progress().status("%s: offering %d tasks/s for %d s", channel.name(), rate,
                context.plan().stepDuration().toSeconds());
        EndToEndStep.Result step = EndToEndStep.run(context, channel, rate, context.plan().stepDuration(),
                channel.name() + " " + rate + "/s");
        context.progress().status("%d/s: accepted %d of %d, to start p50 %.0f p99 %.0f ms, to success p99 %.0f ms,"
                + " %d outstanding at send end, send lateness p99 %.1f ms%s -> %s", rate, step.accepted(),
                step.offered(), step.toStart().p50(), step.toStart().p99(), step.toSuccess().p99(),
                step.outstandingAtSendEnd(), step.sendLateness().p99(), step.gaveUp() ? ", gave up" : "",
                step.sustained() ? "sustained" : "NOT sustained");
        context.progress().status("  check %s", step.check().describe());
        result.latency(rate + "/s to handler start", step.toStart())
                .latency(rate + "/s to succeeded", step.toSuccess())
                .latency(rate + "/s send lateness (generator)", step.sendLateness())
                .figure(rate + "/s.accepted", step.accepted())
                .figure(rate + "/s.outstandingAtSendEnd", step.outstandingAtSendEnd())
                .figure(rate + "/s.errors", step.errors())
                .figure(rate + "/s.gaveUp", step.gaveUp() ? 1 : 0)
                .figure(rate + "/s.sustained", step.sustained() ? 1 : 0)
                .check(step.check())
                .cost(step.cost());
        if (step.sendLateness().p99() > GENERATOR_LATE_MS) {
            result.note(rate + "/s: the generator itself was late (send lateness p99 "
                    + Math.round(step.sendLateness().p99()) + " ms): the machine could not run it on time. The "
                    + "latencies still count from the intended times.");
        }
        if (step.errors() > 0) {
            result.note(rate + "/s: " + step.errors() + " sends failed, the first: " + step.firstError());
        }
        return step;
    }

    /** The highest sustained rate found by {@link #run()}; 0 when not even the lowest was. */
    public int maxSustained() {
        return maxSustained;
    }
}
