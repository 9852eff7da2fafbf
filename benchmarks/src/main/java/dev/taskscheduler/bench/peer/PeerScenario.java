package dev.taskscheduler.bench.peer;

import dev.taskscheduler.bench.report.BaselineResult;
import dev.taskscheduler.bench.report.Chart;
import dev.taskscheduler.bench.report.ScenarioResult;
import dev.taskscheduler.bench.scenario.ScenarioContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The peer in the same run: db-scheduler drains the same number of instant noop tasks at each
 * thread count of the plan, while the system under test is idle; its best executions per second
 * become the {@value DbSchedulerPeer#ID} baseline every end-to-end figure is set against.
 */
public final class PeerScenario {

    private final ScenarioContext context;

    public PeerScenario(ScenarioContext context) {
        this.context = context;
    }

    public ScenarioResult run() throws Exception {
        int tasks = context.plan().peerTasks();
        String version = DbSchedulerPeer.version();
        ScenarioResult result = new ScenarioResult("peer", "Peer: db-scheduler " + version,
                "db-scheduler " + version + " in the benchmark's JVM, on a database of its own (" + DbSchedulerPeer.DATABASE
                        + ", db-scheduler's PostgreSQL table) on the system's PostgreSQL server, while the system is "
                        + "idle: " + tasks + " instant noop one-time tasks are stored, then the scheduler drains them "
                        + "with the lock-and-fetch polling strategy (lower/upper limit 0.5/1.0 of its threads), at "
                        + "each of " + context.plan().peerThreads() + " threads. Executions/s = tasks / time from the "
                        + "first handler start until the table is empty (each completion deletes its row).");
        DbSchedulerPeer peer = new DbSchedulerPeer(context);
        peer.createDatabase();
        DbSchedulerPeer.Trial best = null;
        List<String> labels = new ArrayList<>();
        List<double[]> rates = new ArrayList<>();
        StringJoiner trials = new StringJoiner(", ");
        try {
            for (int threads : context.plan().peerThreads()) {
                Duration timeout = Duration.ofSeconds(Math.max(60, tasks / 200));
                DbSchedulerPeer.Trial trial = peer.drain(threads, tasks, timeout);
                context.progress().status("db-scheduler, %d threads: %,d executed, %.0f executions/s (first start after "
                        + "%.2f s)%s", threads, trial.executed(), trial.executionsPerSecond(), trial.startupSeconds(),
                        trial.complete() ? "" : ", NOT drained within " + timeout.toSeconds() + " s");
                result.figure(threads + " threads.executionsPerSecond", trial.executionsPerSecond())
                        .figure(threads + " threads.drainSeconds", trial.drainSeconds())
                        .figure(threads + " threads.startupSeconds", trial.startupSeconds())
                        .cost(trial.cost());
                if (!trial.complete()) {
                    result.note(threads + " threads: only " + trial.executed() + " of " + tasks + " executed within "
                            + timeout.toSeconds() + " s.");
                }
                labels.add(threads + " threads");
                rates.add(new double[] {trial.executionsPerSecond()});
                trials.add(threads + " threads: " + Math.round(trial.executionsPerSecond()) + "/s");
                if (best == null || trial.executionsPerSecond() > best.executionsPerSecond()) {
                    best = trial;
                }
            }
        } finally {
            peer.dropDatabase();
        }
        if (best != null) {
            result.figure("bestThreads", best.threads()).figure("executionsPerSecond", best.executionsPerSecond());
            context.results().baselines().add(new BaselineResult(DbSchedulerPeer.ID, "Peer: db-scheduler " + version
                    + ", lock-and-fetch, " + best.threads() + " threads (the best)", best.executionsPerSecond(),
                    "tasks/s", tasks + " instant noop tasks drained in this JVM on the same PostgreSQL server while "
                            + "the system was idle; " + trials));
        }
        return result.chart(Chart.bars("db-scheduler executions/s by thread count", "tasks/s", labels,
                List.of(new Chart.Series("executions/s", rates))));
    }
}
