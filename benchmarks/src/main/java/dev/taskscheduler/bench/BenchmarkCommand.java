package dev.taskscheduler.bench;

import dev.taskscheduler.bench.baseline.KafkaBaselines;
import dev.taskscheduler.bench.baseline.PostgresBaselines;
import dev.taskscheduler.bench.cost.CostMeter;
import dev.taskscheduler.bench.load.RestChannel;
import dev.taskscheduler.bench.load.RestClient;
import dev.taskscheduler.bench.load.TopicChannel;
import dev.taskscheduler.bench.measure.TaskChecks;
import dev.taskscheduler.bench.peer.PeerScenario;
import dev.taskscheduler.bench.load.Submissions;
import dev.taskscheduler.bench.report.BenchmarkResults;
import dev.taskscheduler.bench.report.HtmlReport;
import dev.taskscheduler.bench.report.JfrHotspots;
import dev.taskscheduler.bench.report.Machine;
import dev.taskscheduler.bench.report.MarkdownReport;
import dev.taskscheduler.bench.report.ScenarioResult;
import dev.taskscheduler.bench.scenario.BacklogScenario;
import dev.taskscheduler.bench.scenario.DelayedBurstScenario;
import dev.taskscheduler.bench.scenario.EndToEndScenario;
import dev.taskscheduler.bench.scenario.IdleScenario;
import dev.taskscheduler.bench.scenario.RestIngestScenario;
import dev.taskscheduler.bench.scenario.ScenarioContext;
import dev.taskscheduler.bench.scenario.SchedulerState;
import dev.taskscheduler.bench.scenario.SystemWarmup;
import dev.taskscheduler.bench.scenario.TimerCapacityScenario;
import dev.taskscheduler.bench.scenario.TopicIngestScenario;
import dev.taskscheduler.bench.system.Database;
import dev.taskscheduler.bench.system.Endpoints;
import dev.taskscheduler.bench.system.FlightRecorder;
import dev.taskscheduler.bench.system.Kafka;
import dev.taskscheduler.bench.system.LaunchedSystem;
import dev.taskscheduler.bench.system.RunningSystem;
import dev.taskscheduler.bench.system.SystemUnderTest;
import dev.taskscheduler.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;

/**
 * bin/benchmark: starts the system on embedded infrastructure (or targets a running one), measures
 * the PostgreSQL and Kafka baselines, runs the load scenarios and writes results.json, summary.md
 * and report.html to {@code <results-dir>/<timestamp>/} and a copy to {@code <results-dir>/latest/}.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Measures ingest, end-to-end latency and capacity, delayed-task lateness, CPU per task by "
                + "process and service and the cost of a growing backlog, each against PostgreSQL and Kafka baselines "
                + "and a peer scheduler (db-scheduler) measured in the same run.")
public final class BenchmarkCommand implements Callable<Integer> {

    private static final List<String> ALL = List.of("peer", "idle", "rest", "topic", "e2e", "e2e-topic", "burst",
            "backlog", "timers");

    /** Connections of the REST client: enough for the closed-loop clients and the open-loop rates. */
    private static final int REST_CONNECTIONS = 256;

    @Option(names = "--quick", description = "Small sizes (a few minutes), for development.")
    boolean quick;

    @Option(names = "--scenarios", split = ",", description = "Scenarios to run, of ${COMPLETION-CANDIDATES} "
            + "(default: all). timers runs at the end of backlog and needs it.", completionCandidates = Names.class)
    List<String> scenarios = ALL;

    @Option(names = "--jfr", description = "Record the services with Java Flight Recorder (profile settings) and "
            + "write jfr-hotspots.md.")
    boolean jfr;

    @Option(names = "--results-dir", defaultValue = "benchmarks/results", description = "Default: ${DEFAULT-VALUE}.")
    Path resultsDir;

    @Option(names = "--launcher-jar", defaultValue = "dev-launcher/target/dev-launcher-exec.jar",
            description = "The dev launcher that starts the system. Default: ${DEFAULT-VALUE}.")
    Path launcherJar;

    @Option(names = "--system-java-opts", split = " ", description = "JVM options of the services' process.")
    List<String> systemJavaOpts = new ArrayList<>();

    @Option(names = "--target", description = "endpoints.env of a running system (e.g. local-data/endpoints.env of "
            + "bin/task-scheduler-dev) to measure instead of starting one; see BENCHMARKS.md for its settings.")
    Path target;

    @Option(names = "--target-pid", description = "With --target: process id of its services, for heap figures "
            + "and the split of CPU by service.")
    Long targetPid;

    @Option(names = "--target-state-dir", description = "With --target: the scheduler's state directory.")
    Path targetStateDir;

    @Option(names = "--db-superuser", defaultValue = "postgres",
            description = "PostgreSQL superuser (creates the baseline and peer databases, seeds backlogs). "
                    + "Default: postgres.")
    String dbSuperuser;

    @Option(names = "--pgbench", defaultValue = "pgbench", description = "The pgbench executable.")
    String pgbench;

    @Option(names = "--warmup-seconds", description = "How long each warm-up round offers its rate through each "
            + "channel (default: the plan's, 20 s; --quick 10 s).")
    Integer warmupSeconds;

    @Option(names = "--warmup-rounds", description = "At most this many warm-up rounds; they end sooner once one kept "
            + "the JIT compilers quiet (default: the plan's, 8; --quick 1; 0: no warm-up).")
    Integer warmupRounds;

    @Spec
    CommandSpec spec;

    @Option(names = "--keep-data", description = "Keep the data folder of the started system.")
    boolean keepData;

    private final Progress progress = new Progress();

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchmarkCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Plan planned = quick ? Plan.quick() : Plan.full();
        if ((warmupSeconds != null && warmupSeconds < 1) || (warmupRounds != null && warmupRounds < 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--warmup-seconds takes 1 or more, --warmup-rounds 0 or more");
        }
        Plan stepped = warmupSeconds == null ? planned : planned.withWarmupStep(Duration.ofSeconds(warmupSeconds));
        Plan plan = warmupRounds == null ? stepped : stepped.withWarmupRounds(warmupRounds);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path runDir = resultsDir.resolve(stamp).toAbsolutePath();
        Files.createDirectories(runDir);
        Path dataDir = Path.of("benchmarks", "target", "data-" + stamp).toAbsolutePath();
        progress.phase("Benchmark (" + plan.mode() + "), results in " + runDir);

        BenchmarkResults results;
        try (SystemUnderTest system = startSystem(plan, runDir, dataDir, progress);
                RestClient rest = new RestClient(system.endpoints().apiUrl(), system.endpoints().apiKey(),
                        REST_CONNECTIONS)) {
            // Ctrl-C stops the started system too (closing it twice is harmless).
            Runtime.getRuntime().addShutdownHook(new Thread(system::close, "benchmark-shutdown"));
            results = new BenchmarkResults(Instant.now().toString(), plan.mode(),
                    target == null ? "the system started by the dev launcher on embedded infrastructure"
                            : "the running system of " + target, Machine.current());
            Database db = new Database(system.endpoints(), dbSuperuser);
            Kafka kafka = new Kafka(system.endpoints().kafkaBootstrap());
            CostMeter cost = new CostMeter(system);
            results.notes().add(cost.describe() + ".");
            ScenarioContext context = new ScenarioContext(system, plan, rest, db, kafka, cost, progress, results);
            double heapAtStart = new SchedulerState(context).heapAfterGcMb();

            progress.phase("Baselines: PostgreSQL (pgbench)");
            PostgresBaselines postgres = new PostgresBaselines(db, pgbench, runDir, progress);
            guarded(results, "PostgreSQL baselines", () -> {
                results.baselines().addAll(postgres.run(plan.restClients(), plan.pgbenchDuration()));
                postgres.dropDatabase();
                return null;
            });
            progress.phase("Baselines: Kafka");
            guarded(results, "Kafka baselines", () -> results.baselines().addAll(
                    new KafkaBaselines(kafka, progress).run(plan.kafkaRecords())));

            run(results, "peer", "Peer: db-scheduler", () -> new PeerScenario(context).run());
            RestChannel restChannel = new RestChannel(rest);
            if (plan.warmupRule() != null) {
                progress.phase("Warm-up");
                try (TopicChannel topic = new TopicChannel(kafka)) {
                    guarded(results, "Warm-up", () -> results.scenarios().add(new SystemWarmup(context)
                            .run(List.of(topic, restChannel), plan.warmupRule(), plan.warmupStep())));
                }
            }
            // After the warm-up, so that the profile shows the steady state, not class loading and compilation.
            FlightRecorder recorder = jfr ? recorder(system) : null;
            run(results, "idle", "Idle system", () -> new IdleScenario(context).run());
            // End to end first: the ingest scenarios leave over 50,000 rows behind them, and the
            // autovacuum and recompilation that follow would land on the latency steps.
            EndToEndScenario endToEnd = new EndToEndScenario(context, restChannel);
            run(results, "e2e", "(c) end to end over REST", endToEnd::run);
            try (TopicChannel topic = new TopicChannel(kafka)) {
                run(results, "e2e-topic", "(c2) end to end through the submission topic",
                        () -> new EndToEndScenario(context, topic).run());
            }
            run(results, "rest", "(a) REST ingest", () -> new RestIngestScenario(context).run());
            run(results, "topic", "(b) submission-topic ingest", () -> new TopicIngestScenario(context).run());
            run(results, "burst", "(d) delayed burst", () -> new DelayedBurstScenario(context).run());
            int backlogRate = backlogRate(plan, endToEnd.maxSustained());
            run(results, "backlog", "(e) growing backlog",
                    () -> new BacklogScenario(context, restChannel, backlogRate).run());
            run(results, "timers", "Scheduler with a large number of timers",
                    () -> new TimerCapacityScenario(context, heapAtStart).run());
            if (recorder != null) {
                guarded(results, "JFR dump", () -> {
                    recorder.dump(runDir.resolve("system.jfr"));
                    return null;
                });
            }
            progress.phase("Stopping the system");
        }
        if (jfr && Files.exists(runDir.resolve("system.jfr"))) {
            guarded(results, "JFR summary", () -> {
                Files.writeString(runDir.resolve("jfr-hotspots.md"), JfrHotspots.summarise(runDir.resolve("system.jfr")));
                results.notes().add("JFR recording of the services: system.jfr, summarised in jfr-hotspots.md.");
                return null;
            });
        }
        writeReports(results, runDir);
        results.scenarios().stream().flatMap(s -> s.checks().stream()).filter(TaskChecks.Result::violated)
                .forEach(check -> progress.phase("!! CHECK VIOLATED: " + check.describe()));
        if (!keepData && target == null) {
            deleteTree(dataDir);
        }
        progress.phase("Done: " + runDir.resolve("summary.md") + " (copied to " + resultsDir.resolve("latest") + ")");
        return 0;
    }

    /**
     * The end-to-end rate of the backlog scenario: half the highest sustained rate, so that it
     * measures the backlog's effect and not saturation; a quarter of the lowest offered rate when
     * none was sustained (or end to end did not run).
     */
    private static int backlogRate(Plan plan, int maxSustained) {
        return Math.max(10, maxSustained > 0 ? maxSustained / 2 : plan.e2eRates().get(0) / 4);
    }

    private FlightRecorder recorder(SystemUnderTest system) throws Exception {
        if (system.pid().isEmpty()) {
            throw new IllegalStateException("--jfr needs the services' process id (--target-pid)");
        }
        FlightRecorder recorder = new FlightRecorder(system.pid().getAsLong());
        recorder.start();
        progress.status("Flight Recorder started in the services' process");
        return recorder;
    }

    private SystemUnderTest startSystem(Plan plan, Path runDir, Path dataDir, Progress progress) {
        if (target != null) {
            progress.status("using the running system of %s", target);
            return new RunningSystem(Endpoints.read(target),
                    targetPid == null ? OptionalLong.empty() : OptionalLong.of(targetPid), targetStateDir);
        }
        List<String> jvm = new ArrayList<>(systemJavaOpts);
        // The benchmark's waiting tasks go to a pool no worker reads: they wait, and are released only to us.
        jvm.add("-Dscheduler.timers.pools." + Submissions.PARKED + "=" + Submissions.BENCH_POOL);
        jvm.add("-Dscheduler.timers.pools." + Submissions.TIMER + "=" + Submissions.BENCH_POOL);
        progress.status("starting the system (dev launcher, embedded Kafka, PostgreSQL, Redis); log: %s",
                runDir.resolve("system.log"));
        LaunchedSystem system = LaunchedSystem.start(launcherJar, dataDir, jvm, runDir.resolve("system.log"));
        progress.status("system up: API %s", system.endpoints().apiUrl());
        return system;
    }

    private void run(BenchmarkResults results, String name, String title, Callable<ScenarioResult> scenario) {
        if (!scenarios.contains(name)) {
            return;
        }
        progress.phase("Scenario " + title);
        guarded(results, title, () -> {
            results.scenarios().add(scenario.call());
            return null;
        });
    }

    /** A failing part is reported and the run goes on, so one problem does not cost the other figures. */
    private static void guarded(BenchmarkResults results, String what, Callable<?> part) {
        try {
            part.call();
        } catch (Exception e) {
            results.notes().add(what + " failed: " + e);
            System.out.println("    !! " + what + " failed: " + e);
            e.printStackTrace(System.out);
        }
    }

    private static void writeReports(BenchmarkResults results, Path runDir) throws IOException {
        String summary = MarkdownReport.render(results);
        Files.writeString(runDir.resolve("results.json"),
                Json.mapper().writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results));
        Files.writeString(runDir.resolve("summary.md"), summary);
        Files.writeString(runDir.resolve("report.html"), HtmlReport.render(results, summary));
        Path latest = runDir.getParent().resolve("latest");
        deleteTree(latest);
        Files.createDirectories(latest);
        for (String file : List.of("results.json", "summary.md", "report.html", "jfr-hotspots.md")) {
            if (Files.exists(runDir.resolve(file))) {
                Files.copy(runDir.resolve(file), latest.resolve(file));
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The scenario names, for --help. */
    static final class Names extends ArrayList<String> {
        Names() {
            super(ALL);
        }
    }
}
