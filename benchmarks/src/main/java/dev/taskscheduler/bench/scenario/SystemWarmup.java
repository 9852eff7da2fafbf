package dev.taskscheduler.bench.scenario;

import dev.taskscheduler.bench.cost.ComponentCost;
import dev.taskscheduler.bench.cost.CostMeter;
import dev.taskscheduler.bench.cost.CostSample;
import dev.taskscheduler.bench.cost.ThreadOwners;
import dev.taskscheduler.bench.load.Channel;
import dev.taskscheduler.bench.report.ScenarioResult;
import java.time.Duration;
import java.util.List;

/**
 * Runs noop tasks through every channel before anything is measured, so that the figures describe
 * the system in its steady state rather than a JVM still loading classes, compiling hot methods
 * and filling connection pools. It runs in rounds until the JIT compilers have caught up
 * ({@link WarmupRule}); each round's latencies, checks and cost are reported, so the run shows the
 * cold start too, but no figure of it is compared with a baseline.
 */
public final class SystemWarmup {

    private final ScenarioContext context;

    public SystemWarmup(ScenarioContext context) {
        this.context = context;
    }

    public ScenarioResult run(List<Channel> channels, WarmupRule rule, Duration each) throws InterruptedException {
        ScenarioResult result = new ScenarioResult("warm-up", "Warm-up: the cold start",
                "Not a measurement of capacity: noop tasks due now, through "
                        + channels.stream().map(Channel::name).toList() + " in turn, " + each.toSeconds()
                        + " s each per round, open loop as in (c); the first round at " + rule.rateOf(1)
                        + " tasks/s" + (rule.maxRounds() > 1 ? ", the next at " + rule.rate() : "")
                        + ". The rounds go on until one kept the JIT compilers at or below "
                        + rule.quietJitPercent() + " % of a core (at least " + rule.minRounds() + ", at most "
                        + rule.maxRounds() + " rounds). Each round's cost is taken over both channels and their "
                        + "drains.");
        long started = System.nanoTime();
        int round = 0;
        double jit;
        do {
            round++;
            int rate = rule.rateOf(round);
            CostMeter.Span span = context.cost().start();
            long accepted = 0;
            for (Channel channel : channels) {
                String label = "round " + round + " " + channel.name() + " " + rate + "/s";
                context.progress().status("warm-up %s for %d s", label, each.toSeconds());
                EndToEndStep.Result step = EndToEndStep.run(context, channel, rate, each, "warm-up " + label);
                context.progress().status("warm-up %s: %d accepted, to start p50 %.0f ms p99 %.0f ms%s", label,
                        step.accepted(), step.toStart().p50(), step.toStart().p99(),
                        step.sustained() ? "" : ", not sustained");
                accepted += step.accepted();
                result.latency(label + " to handler start", step.toStart())
                        .figure(label + ".sustained", step.sustained() ? 1 : 0)
                        .check(step.check());
            }
            CostSample cost = span.stop("round " + round, accepted);
            result.cost(cost);
            ComponentCost compilers = cost.component(ThreadOwners.JIT);
            jit = compilers == null ? Double.NaN : compilers.corePercent();
            result.figure("round " + round + ".jitCorePercent", jit);
            context.progress().status("warm-up round %d: JIT compilers at %.1f %% of a core", round, jit);
        } while (!rule.doneAfter(round, jit));
        result.figure("rounds", round).figure("seconds", (System.nanoTime() - started) / 1e9);
        if (round == rule.maxRounds() && jit > rule.quietJitPercent()) {
            result.note("The JIT compilers were still at " + Math.round(jit) + " % of a core after the last round: "
                    + "the first scenarios measure them too.");
        }
        return result;
    }
}
