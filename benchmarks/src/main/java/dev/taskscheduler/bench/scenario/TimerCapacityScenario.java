package dev.taskscheduler.bench.scenario;

import dev.taskscheduler.bench.cost.CostMeter;
import dev.taskscheduler.bench.load.Submissions;
import dev.taskscheduler.bench.measure.Histograms;
import dev.taskscheduler.bench.measure.Percentiles;
import dev.taskscheduler.bench.report.Chart;
import dev.taskscheduler.bench.report.ScenarioResult;
import dev.taskscheduler.bench.seed.BacklogSeeder;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.ReadyTask;
import dev.taskscheduler.model.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The scheduler holding a large number of future timers (the backlog scenario leaves them): heap,
 * state store on disk, and the emission lateness of a large burst due at one instant, read from
 * the ready topic ({@code releasedAt - runAt} of each released record). The burst's timers are
 * produced straight to task.events with no rows, for a pool no worker reads, so the scheduler is
 * measured alone.
 */
public final class TimerCapacityScenario {

    private static final Duration RELEASE_TIMEOUT = Duration.ofMinutes(4);

    private final ScenarioContext context;
    private final double heapAtStartMb;

    public TimerCapacityScenario(ScenarioContext context, double heapAtStartMb) {
        this.context = context;
        this.heapAtStartMb = heapAtStartMb;
    }

    public ScenarioResult run() throws Exception {
        SchedulerState scheduler = new SchedulerState(context);
        int burst = context.plan().timerBurst();
        long timers = context.db().queryLong("SELECT count(*) FROM tasks WHERE status = 'pending'");
        ScenarioResult result = new ScenarioResult("timer-capacity", "Scheduler with "
                + BacklogScenario.label(timers) + " future timers",
                "With about " + timers + " future timers in the store, " + burst + " more timers due at one instant "
                        + "are produced to task.events; emission lateness = releasedAt - runAt of each record on "
                        + "tasks.ready." + Submissions.BENCH_POOL + ". Heap is the services' JVM (all four services "
                        + "of the dev launcher) right after a full GC; the store is the scheduler's state directory.");
        double heap = scheduler.heapAfterGcMb();
        double store = scheduler.storeMb();
        double resident = scheduler.residentMb();
        context.progress().status("%,d timers: heap after GC %.0f MiB (at start %.0f), store %.0f MiB, RSS %.0f MiB",
                timers, heap, heapAtStartMb, store, resident);

        Histogram lateness = Histograms.micros();
        long released = 0;
        Instant due;
        try (KafkaConsumer<String, String> ready = context.kafka()
                .consumerAtEnd(Topics.ready(Submissions.BENCH_POOL))) {
            // Lead: time to produce and for the scheduler to read the burst, from the last ingest rate seen.
            double ingestRate = context.results().scenarios().stream()
                    .filter(s -> s.id().equals("backlog")).flatMap(s -> s.figures().entrySet().stream())
                    .filter(e -> e.getKey().endsWith("schedulerIngestTimersPerSecond") && e.getValue() > 0)
                    .mapToDouble(e -> e.getValue()).min().orElse(5_000);
            due = Instant.now().plusSeconds((long) Math.max(20, 2.0 * burst / ingestRate + 10));
            CostMeter.Span cost = context.cost().start();
            long started = System.nanoTime();
            new BacklogSeeder(context.db(), context.kafka()).seed(burst, Submissions.TIMER, due, due, false);
            boolean caughtUp = scheduler.awaitCaughtUp(Duration.between(Instant.now(), due).plusSeconds(1));
            context.progress().status("burst of %,d timers due %s produced and read in %.1f s%s", burst, due,
                    (System.nanoTime() - started) / 1e9, caughtUp ? "" : " (NOT read before due)");
            if (!caughtUp || Instant.now().isAfter(due)) {
                result.note("The scheduler had not read the whole burst when it came due: its tail includes reading.");
            }
            long deadline = System.nanoTime() + RELEASE_TIMEOUT.toNanos();
            long lastRelease = 0;
            while (released < burst && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : ready.poll(Duration.ofMillis(200))) {
                    ReadyTask task = Json.read(record.value(), ReadyTask.class);
                    if (Submissions.TIMER.equals(task.type())) {
                        lateness.recordValue(Math.max(1, (task.releasedAt() - task.runAt()) * 1000));
                        lastRelease = Math.max(lastRelease, task.releasedAt());
                        released++;
                    }
                }
            }
            result.figure("releaseSpanSeconds", (lastRelease - due.toEpochMilli()) / 1000.0)
                    .cost(cost.stop("burst of " + burst + " timers", released));
        }
        Percentiles emission = Percentiles.of(lateness);
        context.progress().status("released %,d: emission lateness p50 %.0f p95 %.0f p99 %.0f max %.0f ms", released,
                emission.p50(), emission.p95(), emission.p99(), emission.max());
        result.figure("timers", timers)
                .figure("heapAfterGcMb", heap)
                .figure("heapAtStartAfterGcMb", heapAtStartMb)
                .figure("stateStoreMb", store)
                .figure("residentMb", resident)
                .figure("burst", burst)
                .figure("released", released)
                .latency("emission lateness (releasedAt - runAt)", emission)
                .chart(Chart.bars("Emission lateness of the burst", "ms", List.of("p50", "p95", "p99", "max"),
                        List.of(new Chart.Series("ms", List.of(new double[] {emission.p50()},
                                new double[] {emission.p95()}, new double[] {emission.p99()},
                                new double[] {emission.max()})))));
        if (released < burst) {
            result.note("Only " + released + " of " + burst + " were released within " + RELEASE_TIMEOUT + ".");
        }
        return result;
    }
}
