package dev.taskscheduler.bench.scenario;

import dev.taskscheduler.bench.cost.ComponentCost;
import dev.taskscheduler.bench.cost.CostMeter;
import dev.taskscheduler.bench.cost.CostSample;
import dev.taskscheduler.bench.cost.ThreadOwners;
import dev.taskscheduler.bench.report.ScenarioResult;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The idle system: CPU of every process and service over a span with nothing to do, the floor
 * every other scenario's cost stands on.
 */
public final class IdleScenario {

    /** The window over which the settling JIT compilers are measured. */
    private static final int SETTLE_SECONDS = 5;

    /** Below this share of a core the compilers count as quiet. */
    private static final double QUIET_JIT_PERCENT = 2;

    private final ScenarioContext context;

    public IdleScenario(ScenarioContext context) {
        this.context = context;
    }

    public ScenarioResult run() throws InterruptedException {
        long seconds = context.plan().idle().toSeconds();
        ScenarioResult result = new ScenarioResult("idle", "Idle system",
                "Nothing submitted for " + seconds + " s: CPU of each process (PostgreSQL with all its backends, "
                        + "Redis, the services' JVM by service) as a share of one core. The benchmark's own JVM only "
                        + "waits.");
        settle();
        CostMeter.Span span = context.cost().start();
        TimeUnit.SECONDS.sleep(seconds);
        CostSample cost = span.stop("idle " + seconds + " s", 0);
        context.progress().status("idle: system %.1f %% of a core (services JVM %.1f %%)",
                cost.component(CostSample.SYSTEM).corePercent(),
                cost.component(CostSample.SERVICES_JVM) == null ? Double.NaN
                        : cost.component(CostSample.SERVICES_JVM).corePercent());
        return result.cost(cost).figure("systemCorePercent", cost.component(CostSample.SYSTEM).corePercent());
    }

    /**
     * Waits (up to two minutes each) until the work of earlier phases has ended, the JIT compilers,
     * still compiling what that work made hot, have quietened down, and PostgreSQL's autovacuum has
     * finished with the rows that work left behind.
     */
    private void settle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        PipelineDrain.await(context, Duration.ofMinutes(2));
        while (context.db().queryLong("SELECT count(*) FROM tasks"
                + " WHERE status = 'running' OR (status = 'pending' AND run_at <= now())") > 0
                && System.nanoTime() < deadline) {
            TimeUnit.SECONDS.sleep(1);
        }
        double compiling;
        do {
            CostMeter.Span window = context.cost().start();
            TimeUnit.SECONDS.sleep(SETTLE_SECONDS);
            ComponentCost jit = window.stop("settling", 0).component(ThreadOwners.JIT);
            compiling = jit == null ? 0 : jit.corePercent();
            context.progress().status("settling: JIT compilers at %.1f %% of a core", compiling);
        } while (compiling > QUIET_JIT_PERCENT && System.nanoTime() < deadline);
        Autovacuum.awaitIdle(context, Duration.ofMinutes(2));
    }
}
