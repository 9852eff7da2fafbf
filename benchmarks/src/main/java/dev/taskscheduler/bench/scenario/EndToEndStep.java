package dev.taskscheduler.bench.scenario;

import dev.taskscheduler.bench.load.OpenLoop;
import dev.taskscheduler.bench.measure.Histograms;
import dev.taskscheduler.bench.measure.Percentiles;
import dev.taskscheduler.bench.measure.TaskTimes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Noop tasks submitted over REST at one fixed rate, then followed to the end: the time from each
 * task's intended send time to its handler start ({@code started_at}) and to {@code succeeded}
 * ({@code finished_at}).
 *
 * <p>A rate counts as sustained when at least 95 % of it was accepted, nothing failed, and when
 * sending stopped fewer than one second's worth of tasks were still unfinished: the lag did not
 * grow over the step.
 */
final class EndToEndStep {

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(90);

    record Result(int rate, long offered, long accepted, long errors, Percentiles toStart, Percentiles toSuccess,
            long outstandingAtSendEnd, long unfinished, boolean sustained) {
    }

    private EndToEndStep() {
    }

    static Result run(ScenarioContext context, int rate, Duration duration) throws InterruptedException {
        OpenLoop.Result sent = OpenLoop.run(context.rest(), rate, duration);
        TaskTimes times = new TaskTimes(context.db());
        long unfinished = times.awaitSucceeded(sent.intended().keySet(), DRAIN_TIMEOUT);
        List<TaskTimes.Row> rows = times.read(sent.intended().keySet());
        Histogram toStart = Histograms.micros();
        Histogram toSuccess = Histograms.micros();
        long outstanding = sent.offered() - sent.intended().size();
        for (TaskTimes.Row row : rows) {
            Instant intended = sent.intended().get(row.id());
            if (row.startedAt() != null) {
                Histograms.record(toStart, intended, row.startedAt());
            }
            if (row.finishedAt() != null) {
                Histograms.record(toSuccess, intended, row.finishedAt());
            }
            if (row.finishedAt() == null || row.finishedAt().isAfter(sent.sendEnd())) {
                outstanding++;
            }
        }
        boolean sustained = sent.errors() == 0 && unfinished == 0
                && sent.intended().size() >= 0.95 * sent.offered() && outstanding <= rate;
        return new Result(rate, sent.offered(), sent.intended().size(), sent.errors(), Percentiles.of(toStart),
                Percentiles.of(toSuccess), outstanding, unfinished, sustained);
    }
}
