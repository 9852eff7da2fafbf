package dev.taskscheduler.bench.scenario;

import dev.taskscheduler.bench.cost.CostMeter;
import dev.taskscheduler.bench.cost.CostSample;
import dev.taskscheduler.bench.load.Channel;
import dev.taskscheduler.bench.load.OpenLoop;
import dev.taskscheduler.bench.measure.Histograms;
import dev.taskscheduler.bench.measure.Percentiles;
import dev.taskscheduler.bench.measure.TaskChecks;
import dev.taskscheduler.bench.measure.TaskTimes;
import dev.taskscheduler.bench.measure.TaskTracker;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Noop tasks offered through one channel (REST or the submission topic) at one fixed rate, then
 * followed to the end: the time from each task's intended send time to its handler start
 * ({@code started_at}) and to {@code succeeded} ({@code finished_at}).
 *
 * <p>A rate counts as sustained when at least 95 % of it was accepted, nothing failed, every
 * accepted task succeeded, and when sending stopped fewer than one second's worth of tasks were
 * still unfinished: the lag did not grow over the step. Once a second during sending the tasks not
 * yet seen succeeded are counted ({@link TaskTracker#refresh()}: estimated from a sample when more
 * than 1,000 are open); when more than {@value #GIVE_UP_SECONDS} seconds' worth (or half the
 * step's, if less) are open, the system has fallen behind beyond recovery within the step:
 * sending stops, the rate is not sustained, and what is left is cancelled, so a rate far above
 * capacity costs seconds, not minutes.
 */
final class EndToEndStep {

    static final int GIVE_UP_SECONDS = 5;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
    /** After giving up: how long the tasks already accepted get to finish before the rest is cancelled. */
    private static final Duration GRACE = Duration.ofSeconds(10);

    record Result(int rate, long offered, long accepted, long errors, String firstError, Percentiles toStart,
            Percentiles toSuccess, Percentiles sendLateness, long outstandingAtSendEnd, long unfinished,
            boolean gaveUp, boolean sustained, TaskChecks.Result check, CostSample cost) {
    }

    private EndToEndStep() {
    }

    /** @param label names the step in checks and costs */
    static Result run(ScenarioContext context, Channel channel, int rate, Duration duration, String label)
            throws InterruptedException {
        CostMeter.Span cost = context.cost().start();
        TaskTracker tracker = new TaskTracker(context.db(), channel.lookup());
        AtomicLong sentSoFar = new AtomicLong();
        AtomicBoolean giveUp = new AtomicBoolean();
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "e2e-backlog-watcher");
            thread.setDaemon(true);
            return thread;
        });
        long giveUpBacklog = (long) (Math.min(GIVE_UP_SECONDS, duration.toSeconds() / 2.0) * rate);
        watcher.scheduleWithFixedDelay(() -> {
            long open;
            try {
                open = tracker.refresh();
            } catch (RuntimeException e) {
                return; // one look missed (the database is busy): the next one counts
            }
            // Sent but not yet accepted (a send in flight) counts as open too.
            if (sentSoFar.get() - tracker.acceptedSoFar() + open > giveUpBacklog) {
                giveUp.set(true);
            }
        }, 1, 1, TimeUnit.SECONDS);
        OpenLoop.Result sent;
        try {
            sent = OpenLoop.run(channel, rate, duration, tracker::accepted, count -> {
                sentSoFar.set(count);
                return giveUp.get();
            });
        } finally {
            watcher.shutdownNow();
            watcher.awaitTermination(30, TimeUnit.SECONDS);
        }
        long unfinished = tracker.awaitAllSucceeded(sent.stoppedEarly() ? GRACE : DRAIN_TIMEOUT);
        // The step's cost ends with its drain: what follows is the benchmark reading and checking its tasks.
        CostSample spent = cost.stop(label, sent.intended().size());

        Histogram toStart = Histograms.micros();
        Histogram toSuccess = Histograms.micros();
        long finishedBySendEnd = 0;
        for (TaskTimes.Row row : new TaskTimes(context.db(), channel.lookup()).read(sent.intended().keySet())) {
            Instant intended = sent.intended().get(row.handle());
            if (row.startedAt() != null) {
                Histograms.record(toStart, intended, row.startedAt());
            }
            if (row.finishedAt() != null) {
                Histograms.record(toSuccess, intended, row.finishedAt());
            }
            if (row.finishedAt() != null && !row.finishedAt().isAfter(sent.sendEnd())) {
                finishedBySendEnd++;
            }
        }
        // Not sent, not accepted, not stored yet (a topic record still unread) or not finished: outstanding.
        long outstanding = sent.offered() - finishedBySendEnd;
        TaskChecks.Result check = TaskChecks.check(context.db(), channel.lookup(), sent.intended().keySet(), label,
                !sent.stoppedEarly());
        if (unfinished > 0) {
            Leftovers.cancel(context, channel.lookup(), sent.intended().keySet());
        }
        boolean sustained = !sent.stoppedEarly() && sent.errors() == 0 && unfinished == 0
                && sent.intended().size() >= 0.95 * sent.offered() && outstanding <= rate;
        return new Result(rate, sent.offered(), sent.intended().size(), sent.errors(), sent.firstError(),
                Percentiles.of(toStart), Percentiles.of(toSuccess), Percentiles.of(sent.sendLateness()), outstanding,
                unfinished, sent.stoppedEarly(), sustained, check, spent);
    }
}
