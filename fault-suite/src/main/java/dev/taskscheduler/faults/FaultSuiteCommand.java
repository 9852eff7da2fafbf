package dev.taskscheduler.faults;

import dev.taskscheduler.faults.check.LedgerReader;
import dev.taskscheduler.faults.load.LoadGenerator;
import dev.taskscheduler.faults.report.ScenarioResult;
import dev.taskscheduler.faults.report.SuiteReport;
import dev.taskscheduler.faults.scenario.KafkaDiskFull;
import dev.taskscheduler.faults.scenario.Scenario;
import dev.taskscheduler.faults.scenario.ScenarioContext;
import dev.taskscheduler.faults.scenario.ScenarioRunner;
import dev.taskscheduler.faults.scenario.Scenarios;
import dev.taskscheduler.faults.system.Link;
import dev.taskscheduler.faults.system.SuiteSystem;
import dev.taskscheduler.launcher.DevLauncher;
import dev.taskscheduler.launcher.process.ProcessModeSettings;
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
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * bin/fault-suite: starts the system in process mode on free ports, runs each scenario (load
 * through REST, batches and the topic while a fault hits one part), checks the ledger, and writes
 * report.md and report.json to {@code <results-dir>/<timestamp>/}. Exits 1 when any scenario fails.
 */
@Command(name = "fault-suite", mixinStandardHelpOptions = true,
        description = "Injects faults into the running system under load and proves from the ledger that every "
                + "accepted task ended, none started before it was due, and every duplicate run is explained.")
public final class FaultSuiteCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(FaultSuiteCommand.class);

    @Option(names = "--ci", description = "Only the CI subset: " + "worker-kill-mid-task, postgres-kill, worker-freeze.")
    boolean ci;

    @Option(names = "--scenarios", split = ",", description = "Scenarios to run (default: all). --list shows them.")
    List<String> scenarios;

    @Option(names = "--list", description = "List the scenarios and exit.")
    boolean list;

    @Option(names = "--results-dir", defaultValue = "fault-suite/results", description = "Default: ${DEFAULT-VALUE}.")
    Path resultsDir;

    @Option(names = "--keep-data", description = "Keep the data folder (logs, databases) even when every scenario passed.")
    boolean keepData;

    @Option(names = "--settle-timeout", defaultValue = "PT90S",
            description = "How long to wait for every accepted task to end after the load (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration settleTimeout;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the task mix. Default: ${DEFAULT-VALUE}.")
    long seed;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--part")) {
            DevLauncher.main(args); // a child process of the process mode, started from this program
            return;
        }
        // The suite's own Kafka producer would fill the console; the services log to their own files.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        System.exit(new CommandLine(new FaultSuiteCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (list) {
            Scenarios.all().forEach(scenario -> System.out.println(scenario.name() + ": "
                    + scenario.fault().description()));
            return 0;
        }
        List<Scenario> chosen;
        try {
            chosen = ci ? Scenarios.named(Scenarios.CI)
                    : scenarios == null ? Scenarios.all() : Scenarios.named(scenarios);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Instant started = Instant.now();
        Path report = resultsDir.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Path data = Files.createTempDirectory("fault-suite-");
        List<Link> links = chosen.stream().flatMap(scenario -> scenario.links().stream()).distinct().toList();
        List<ScenarioResult> results = new ArrayList<>();
        log.info("Starting the system in process mode under {}", data);
        boolean kafkaOnSmallDisk = chosen.stream().anyMatch(scenario -> scenario.fault() instanceof KafkaDiskFull);
        try (SuiteSystem system = SuiteSystem.start(data, links, ProcessModeSettings.DEFAULT_JVM_OPTIONS,
                kafkaOnSmallDisk);
             LoadGenerator load = new LoadGenerator(system.apiUrl(), system.apiKey(), system.kafkaBootstrap(), seed)) {
            ScenarioContext context = new ScenarioContext(system, load, new LedgerReader(system.db(), system.ledgerDir()));
            ScenarioRunner runner = new ScenarioRunner(context, settleTimeout);
            for (Scenario scenario : chosen) {
                results.add(runner.run(scenario));
                SuiteReport.write(report, started, ci ? "CI subset" : "suite", results);
            }
        }
        SuiteReport.write(report, started, ci ? "CI subset" : "suite", results);
        boolean passed = SuiteReport.passed(results);
        System.out.println(Files.readString(report.resolve("report.md")));
        System.out.println("Report: " + report.toAbsolutePath());
        if (passed && !keepData) {
            delete(data);
        } else {
            System.out.println("Data and service logs kept in " + data + "/logs");
        }
        return passed ? 0 : 1;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
