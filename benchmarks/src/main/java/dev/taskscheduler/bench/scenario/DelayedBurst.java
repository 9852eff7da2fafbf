package dev.taskscheduler.bench.scenario;

import dev.taskscheduler.bench.cost.CostMeter;
import dev.taskscheduler.bench.cost.CostSample;
import dev.taskscheduler.bench.load.Submissions;
import dev.taskscheduler.bench.measure.Histograms;
import dev.taskscheduler.bench.measure.Percentiles;
import dev.taskscheduler.bench.measure.TaskChecks;
import dev.taskscheduler.bench.measure.TaskLookup;
import dev.taskscheduler.bench.measure.TaskTimes;
import dev.taskscheduler.bench.measure.TaskTracker;
import dev.taskscheduler.model.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A burst of noop tasks all due at the same instant, submitted ahead of it through the batch
 * endpoint and run by the real worker pool: how late their handlers start after {@code runAt},
 * and how long the burst takes to drain. The wait for it is bounded: what has not succeeded by
 * then is reported unfinished and cancelled.
 */
final class DelayedBurst {

    /** The target: every handler of a burst started within this long of its due time. */
    static final Duration TARGET = Duration.ofSeconds(30);

    private static final int BATCH = 500;
    private static final int SENDERS = 4;
    /** Submission rate assumed for the lead when this run measured no batch-endpoint figure. */
    private static final double ASSUMED_INGEST_RATE = 1_000;

    /**
     * @param lateToStart   handler start ({@code started_at}) minus {@code runAt}
     * @param drainSeconds  from {@code runAt} to the last handler start
     * @param leadSeconds   from the first submission to the due time
     * @param submitLate    true when submitting took longer than the lead (lateness then includes it)
     */
    record Result(int size, Percentiles lateToStart, Percentiles lateToSuccess, double drainSeconds,
            double leadSeconds, long unfinished, boolean submitLate, TaskChecks.Result check, CostSample cost) {

        double drainRate() {
            return (size - unfinished) / drainSeconds;
        }

        boolean targetMet() {
            return unfinished == 0 && lateToStart.max() <= TARGET.toMillis();
        }
    }

    private DelayedBurst() {
    }

    static Result run(ScenarioContext context, int size, Duration drainTimeout, String label) throws Exception {
        CostMeter.Span cost = context.cost().start();
        // The lead leaves room for submitting (at the batch endpoint's rate measured in this run), the relay
        // and the scheduler reading the burst before it is due.
        double ingestRate = context.results().scenarios().stream().filter(s -> s.id().equals("rest-ingest"))
                .map(s -> s.figures().get("batch.tasksPerSecond")).filter(r -> r != null && r > 0).findFirst()
                .orElse(ASSUMED_INGEST_RATE);
        // Capped, so that a slow moment of the machine during (a) does not make the run wait for minutes.
        Duration lead = Duration.ofMillis((long) (10_000 + Math.min(1_500.0 * size / ingestRate, 2.5 * size)));
        Instant due = Instant.now().plus(lead);
        Set<String> ids = ConcurrentHashMap.newKeySet();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            List<Future<?>> sends = new ArrayList<>();
            for (int from = 0; from < size; from += BATCH) {
                int count = Math.min(BATCH, size - from);
                int first = from;
                sends.add(senders.submit(() -> {
                    var response = context.rest().submitBatch(Submissions.batch(count,
                            i -> Submissions.at("noop", due, first + i)));
                    Json.mapper().readTree(response.body()).path("results").valueStream()
                            .filter(item -> item.path("status").asInt() == 202)
                            .forEach(item -> ids.add(item.path("id").asString()));
                    return null;
                }));
            }
            for (Future<?> send : sends) {
                send.get();
            }
        } finally {
            senders.shutdown();
        }
        boolean submitLate = Instant.now().isAfter(due);
        context.progress().status("burst of %,d submitted, due at %s (lead %.0f s)%s", ids.size(), due,
                lead.toMillis() / 1000.0, submitLate ? " (submitting took longer than the lead)" : "");
        TaskTracker tracker = new TaskTracker(context.db(), TaskLookup.BY_ID);
        ids.forEach(tracker::accepted);
        long untilDue = Duration.between(Instant.now(), due).toMillis();
        if (untilDue > 0) {
            TimeUnit.MILLISECONDS.sleep(untilDue);
        }
        long unfinished = tracker.awaitAllSucceeded(drainTimeout, Duration.ofSeconds(1));
        Histogram toStart = Histograms.micros();
        Histogram toSuccess = Histograms.micros();
        Instant lastStart = due;
        for (TaskTimes.Row row : new TaskTimes(context.db(), TaskLookup.BY_ID).read(ids)) {
            if (row.startedAt() != null) {
                Histograms.record(toStart, row.runAt(), row.startedAt());
                lastStart = row.startedAt().isAfter(lastStart) ? row.startedAt() : lastStart;
            }
            if (row.finishedAt() != null) {
                Histograms.record(toSuccess, row.runAt(), row.finishedAt());
            }
        }
        TaskChecks.Result check = TaskChecks.check(context.db(), TaskLookup.BY_ID, ids, label, unfinished == 0);
        CostSample spent = cost.stop(label, ids.size());
        if (unfinished > 0) {
            context.progress().status("%,d tasks of the burst had not succeeded %d s after due", unfinished,
                    drainTimeout.toSeconds());
            Leftovers.cancel(context, TaskLookup.BY_ID, ids);
        }
        double drain = Math.max(1e-3, Duration.between(due, lastStart).toNanos() / 1e9);
        return new Result(ids.size(), Percentiles.of(toStart), Percentiles.of(toSuccess), drain,
                lead.toMillis() / 1000.0, unfinished, submitLate, check, spent);
    }
}
