package dev.taskscheduler.bench.scenario;

import dev.taskscheduler.bench.load.Submissions;
import dev.taskscheduler.bench.measure.Histograms;
import dev.taskscheduler.bench.measure.Percentiles;
import dev.taskscheduler.bench.measure.TaskTimes;
import dev.taskscheduler.model.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import org.HdrHistogram.Histogram;

/**
 * A burst of noop tasks all due at the same instant, submitted ahead of it through the batch
 * endpoint: how late their handlers start after {@code runAt}, and how long the burst takes to
 * drain.
 */
final class DelayedBurst {

    private static final int BATCH = 500;
    private static final int SENDERS = 4;

    /**
     * @param lateToStart   handler start ({@code started_at}) minus {@code runAt}
     * @param drainSeconds  from {@code runAt} to the last handler start
     * @param submitLate    true when submitting took longer than the lead (lateness then includes it)
     */
    record Result(int size, Percentiles lateToStart, Percentiles lateToSuccess, double drainSeconds,
            long unfinished, boolean submitLate) {

        double drainRate() {
            return size / drainSeconds;
        }
    }

    private DelayedBurst() {
    }

    static Result run(ScenarioContext context, int size) throws Exception {
        // Submitting runs at a few thousand tasks/s; the lead leaves room for it and the relay.
        Instant due = Instant.now().plus(Duration.ofMillis(5_000 + size * 2L));
        Set<UUID> ids = ConcurrentHashMap.newKeySet();
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
                            .forEach(item -> ids.add(UUID.fromString(item.path("id").asString())));
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
        context.progress().status("burst of %d submitted, due at %s%s", ids.size(), due,
                submitLate ? " (submitting took longer than the lead)" : "");
        TaskTimes times = new TaskTimes(context.db());
        long waitSeconds = Math.max(0, Duration.between(Instant.now(), due).toSeconds()) + 60 + size / 50;
        long unfinished = times.awaitSucceeded(ids, Duration.ofSeconds(waitSeconds));
        Histogram toStart = Histograms.micros();
        Histogram toSuccess = Histograms.micros();
        Instant lastStart = due;
        for (TaskTimes.Row row : times.read(ids)) {
            if (row.startedAt() != null) {
                Histograms.record(toStart, row.runAt(), row.startedAt());
                lastStart = row.startedAt().isAfter(lastStart) ? row.startedAt() : lastStart;
            }
            if (row.finishedAt() != null) {
                Histograms.record(toSuccess, row.runAt(), row.finishedAt());
            }
        }
        double drain = Duration.between(due, lastStart).toNanos() / 1e9;
        return new Result(ids.size(), Percentiles.of(toStart), Percentiles.of(toSuccess), drain, unfinished,
                submitLate);
    }
}
