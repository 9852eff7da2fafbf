package dev.taskscheduler.faults.scenario;

import dev.taskscheduler.faults.check.Figures;
import dev.taskscheduler.faults.check.LedgerCheck;
import dev.taskscheduler.faults.check.LedgerReader;
import dev.taskscheduler.faults.load.Accepted;
import dev.taskscheduler.faults.load.LoadGenerator;
import dev.taskscheduler.faults.report.ScenarioResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one scenario: load through every way in, the fault in its midst, then probes until the
 * system works again, a wait until every accepted task ended, and the ledger check.
 */
public final class ScenarioRunner {

    private static final Logger log = LoggerFactory.getLogger(ScenarioRunner.class);
    private static final LoadGenerator.Rates RATES = new LoadGenerator.Rates(8, 1, 8);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(500);
    /** The settle wait looks this often: the next scenario starts soon after the last task ended. */
    private static final Duration SETTLE_POLL = Duration.ofMillis(250);

    private final ScenarioContext context;
    private final Duration settleTimeout;

    public ScenarioRunner(ScenarioContext context, Duration settleTimeout) {
        this.context = context;
        this.settleTimeout = settleTimeout;
    }

    public ScenarioResult run(Scenario scenario) {
        Fault fault = scenario.fault();
        String unavailable = fault.unavailableBecause(context);
        if (unavailable != null) {
            log.warn("Scenario {} skipped: {}", scenario.name(), unavailable);
            return ScenarioResult.skipped(scenario.name(), fault.description(), unavailable);
        }
        log.info("Scenario {}: {}", scenario.name(), fault.description());
        long began = System.nanoTime();
        context.load().drainAccepted();
        context.load().drainRefused();
        String error = null;
        double recovery = -1;
        double settle = 0;
        try {
            fault.prepare(context);
            LoadGenerator.Running load = context.load().start(scenario.name(), scenario.load(), RATES);
            pause(scenario.lead());
            fault.begin(context);
            pause(fault.hold());
            fault.end(context);
            long ended = System.nanoTime();
            recovery = awaitProbe(ended);
            load.await();
            long loadDone = System.nanoTime();
            awaitSettled(context.load().acceptedSoFar());
            settle = seconds(System.nanoTime() - loadDone);
        } catch (Exception e) {
            log.error("Scenario {} broke off", scenario.name(), e);
            error = e.toString();
        }
        List<Accepted> accepted = context.ledger().resolve(context.load().drainAccepted());
        Figures figures = check(accepted, fault.faultedWorkerPids());
        try {
            fault.cleanUp(context);
        } catch (Exception e) {
            error = error == null ? "clean-up: " + e : error;
        }
        ScenarioResult result = new ScenarioResult(scenario.name(), fault.description(), figures,
                context.load().drainRefused(), recovery, settle, seconds(System.nanoTime() - began), null, error,
                fault.notes());
        log.info("Scenario {}: {} {}", scenario.name(), result.verdict(), figures);
        return result;
    }

    private Figures check(List<Accepted> accepted, Set<Long> faultedPids) {
        Set<UUID> ids = accepted.stream().map(Accepted::id).filter(id -> id != null).collect(Collectors.toSet());
        LedgerReader ledger = context.ledger();
        return LedgerCheck.judge(accepted, ledger.tasks(ids), ledger.attempts(ids), ledger.executions(ids),
                faultedPids);
    }

    /** Seconds from {@code faultEnded} until a probe submitted after it has succeeded, or -1. */
    private double awaitProbe(long faultEnded) {
        long deadline = faultEnded + settleTimeout.toNanos();
        List<UUID> probes = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            UUID probe = context.load().probe();
            if (probe != null) {
                probes.add(probe);
            }
            for (UUID id : probes) {
                if ("succeeded".equals(context.ledger().status(id))) {
                    return seconds(System.nanoTime() - faultEnded);
                }
            }
            pause(PROBE_INTERVAL);
        }
        return -1;
    }

    private void awaitSettled(List<Accepted> accepted) {
        long deadline = System.nanoTime() + settleTimeout.toNanos();
        while (System.nanoTime() < deadline && context.ledger().unfinished(accepted) > 0) {
            pause(SETTLE_POLL);
        }
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e8) / 10.0;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
