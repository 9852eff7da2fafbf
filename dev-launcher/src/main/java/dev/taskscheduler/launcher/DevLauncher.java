package dev.taskscheduler.launcher;

import dev.taskscheduler.api.security.ApiKeyService;
import dev.taskscheduler.launcher.process.Part;
import dev.taskscheduler.launcher.process.PartMain;
import dev.taskscheduler.launcher.process.ProcessModeSettings;
import dev.taskscheduler.launcher.process.ProcessModeSystem;
import dev.taskscheduler.localinfra.FreePorts;
import dev.taskscheduler.localinfra.LocalKafka;
import dev.taskscheduler.localinfra.LocalPostgres;
import dev.taskscheduler.localinfra.LocalRedis;
import dev.taskscheduler.localinfra.WalArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts the whole system on this machine: a real Kafka broker (KRaft), PostgreSQL with logical
 * replication and Redis, then the api-server, outbox-relay, scheduler and worker. Data is kept in
 * the data folder between runs. Ctrl-C or SIGTERM stops everything in order.
 *
 * <p>The API requires authentication here as everywhere: on first start the launcher creates an
 * admin API key, keeps it in the data folder ({@code api-key}) for later starts, prints it and
 * writes it to {@code endpoints.env} as {@code API_KEY}.
 */
@Command(name = "task-scheduler-dev", mixinStandardHelpOptions = true,
        description = "Runs the task scheduler and its infrastructure on this machine.")
public final class DevLauncher implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(DevLauncher.class);

    @Option(names = "--data-dir", defaultValue = "${env:TASK_SCHEDULER_DATA:-local-data}",
            description = "Folder for Kafka, PostgreSQL, Redis and scheduler data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--api-port", defaultValue = "${env:API_PORT:-8080}",
            description = "HTTP port of the api-server; the relay, scheduler and worker use the next three.")
    int apiPort;

    @Option(names = "--kafka-port", defaultValue = "${env:KAFKA_PORT:-9092}", description = "Kafka listener port.")
    int kafkaPort;

    @Option(names = "--postgres-port", defaultValue = "${env:POSTGRES_PORT:-5432}", description = "PostgreSQL port.")
    int postgresPort;

    @Option(names = "--redis-port", defaultValue = "${env:REDIS_PORT:-6379}", description = "Redis port.")
    int redisPort;

    @Option(names = "--wal-archive", defaultValue = "${env:TASK_SCHEDULER_WAL_ARCHIVE}",
            description = "Archive PostgreSQL's WAL with pgBackRest into this folder, for backups and point-in-time "
                    + "restores with ops/scripts (needs pgbackrest; off by default).")
    Path walArchive;

    @Option(names = "--processes",
            description = "Run every part in a process of its own: Kafka, PostgreSQL and Redis, then each service in "
                    + "its own JVM with the same configuration, logs in logs/ of the data folder (default: one JVM).")
    boolean processes;

    private final CountDownLatch stopped = new CountDownLatch(1);

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--part")) {
            PartMain.main(args); // a child of the process mode
            return;
        }
        System.exit(new CommandLine(new DevLauncher()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Path data = dataDir.toAbsolutePath();
        Files.createDirectories(data);
        // Written again once everything is up: its presence means "ready" to scripts that wait for it.
        Path endpointsFile = data.resolve("endpoints.env");
        Files.deleteIfExists(endpointsFile);
        if (processes) {
            return runProcesses(data, endpointsFile, started);
        }
        Running running = new Running();
        // Registered before anything starts, so a failed start still stops what did come up.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            deleteQuietly(endpointsFile);
            stop(running);
        }, "task-scheduler-shutdown"));
        WalArchive archive = walArchive == null ? null : WalArchive.in(walArchive);
        CompletableFuture<LocalPostgres> postgres = CompletableFuture.supplyAsync(
                () -> LocalPostgres.start(data.resolve("postgres"), postgresPort, archive));
        CompletableFuture<LocalRedis> redis =
                CompletableFuture.supplyAsync(() -> LocalRedis.start(data.resolve("redis"), redisPort));
        CompletableFuture<LocalKafka> kafka =
                CompletableFuture.supplyAsync(() -> LocalKafka.start(data.resolve("kafka"), kafkaPort));
        CompletableFuture.allOf(
                postgres.thenAccept(server -> running.postgres = server),
                redis.thenAccept(server -> running.redis = server),
                kafka.thenAccept(server -> running.kafka = server)).join();

        InfrastructureEndpoints endpoints = new InfrastructureEndpoints(running.kafka.bootstrapServers(),
                running.postgres.jdbcUrl(), running.postgres.username(), running.postgres.password(),
                running.redis.redisUrl());
        running.system = TaskSchedulerSystem.start(endpoints, ServicePorts.from(apiPort),
                data.resolve("scheduler-state"), "--spring.main.banner-mode=off",
                // The services share one logging system here; thread names tell them apart.
                "--logging.include-application-name=false");

        String apiKey = AdminKeyFile.ensure(
                running.system.context("api-server").getBean(ApiKeyService.class), data.resolve("api-key"));
        Map<String, String> published = published(running, archive, apiKey);
        announce(endpointsFile, published, started);
        stopped.await();
        return 0;
    }

    /**
     * The process mode: every part a child process of this one, stopped with it. A part that dies is
     * not started again by itself: its log says why, and the launcher keeps the others running.
     */
    private Integer runProcesses(Path data, Path endpointsFile, long started) throws Exception {
        if (walArchive != null) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--wal-archive is not available together with --processes");
        }
        Map<Part, Integer> ports = ProcessModeSettings.servicePorts(apiPort, FreePorts::pick);
        ProcessModeSettings settings = new ProcessModeSettings(data, FreePorts.orPick(kafkaPort, "Kafka"),
                FreePorts.orPick(postgresPort, "PostgreSQL"), FreePorts.orPick(redisPort, "Redis"), ports,
                ProcessModeSettings.managementPorts(ports, apiPort == 0 ? 0 : ServicePorts.MANAGEMENT_OFFSET,
                        FreePorts::pick),
                Map.of(), List.of(), Map.of(), ProcessModeSettings.DEFAULT_JVM_OPTIONS);
        ProcessModeSystem[] system = new ProcessModeSystem[1];
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            deleteQuietly(endpointsFile);
            if (system[0] != null) {
                system[0].close();
            }
            stopped.countDown();
            System.out.println("Task scheduler stopped.");
        }, "task-scheduler-shutdown"));
        system[0] = ProcessModeSystem.start(settings);
        InfrastructureEndpoints direct = settings.directEndpoints();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("API_URL", "http://localhost:" + settings.port(Part.API_SERVER));
        values.put("API_KEY", Files.readString(data.resolve("api-key")).trim());
        values.put("OPENAPI_URL", values.get("API_URL") + "/api/v1/openapi");
        values.put("KAFKA_BOOTSTRAP", direct.kafkaBootstrapServers());
        values.put("JDBC_URL", direct.jdbcUrl());
        values.put("DB_USER", direct.jdbcUsername());
        values.put("DB_PASSWORD", direct.jdbcPassword());
        values.put("REDIS_URL", direct.redisUrl());
        for (Part service : List.of(Part.API_SERVER, Part.OUTBOX_RELAY, Part.SCHEDULER, Part.WORKER)) {
            String key = (service == Part.SCHEDULER ? "scheduler" : service.id()).toUpperCase().replace('-', '_');
            values.put(key + "_METRICS", "http://localhost:" + settings.managementPort(service) + "/actuator/prometheus");
            values.put(key + "_PID", Long.toString(system[0].part(service).pid()));
        }
        announce(endpointsFile, values, started);
        stopped.await();
        return 0;
    }

    private static void announce(Path endpointsFile, Map<String, String> published, long started) throws IOException {
        writeEndpoints(endpointsFile, published);
        System.out.printf("%nTask scheduler is up in %d ms. Endpoints (also in %s):%n",
                (System.nanoTime() - started) / 1_000_000, endpointsFile);
        published.forEach((key, value) -> System.out.printf("  %-18s %s%n", key, value));
        System.out.printf("%nEvery API request needs the key: -H \"Authorization: Bearer $API_KEY\" after%n"
                + "  source %s%nPress Ctrl-C to stop.%n", endpointsFile);
    }

    private static Map<String, String> published(Running running, WalArchive archive, String apiKey) {
        TaskSchedulerSystem system = running.system;
        Map<String, String> values = new LinkedHashMap<>();
        values.put("API_URL", system.apiUrl());
        values.put("API_KEY", apiKey);
        values.put("OPENAPI_URL", system.apiUrl() + "/api/v1/openapi");
        values.put("CONSOLE_URL", system.apiUrl() + "/console");
        values.put("KAFKA_BOOTSTRAP", running.kafka.bootstrapServers());
        values.put("JDBC_URL", running.postgres.jdbcUrl());
        values.put("DB_USER", running.postgres.username());
        values.put("DB_PASSWORD", running.postgres.password());
        values.put("REDIS_URL", running.redis.redisUrl());
        if (archive != null) {
            // pgBackRest's own variables, read by ops/scripts/pitr-backup.sh and pitr-restore.sh.
            values.put("PGBACKREST_CONFIG", archive.configFile().toString());
            values.put("PGBACKREST_STANZA", archive.stanza());
        }
        for (String service : new String[] {"api-server", "outbox-relay", "scheduler", "worker"}) {
            values.put(service.toUpperCase().replace('-', '_') + "_METRICS", system.metricsUrl(service));
        }
        return values;
    }

    /** Holds the admin key and the database password: readable by this user only. */
    static void writeEndpoints(Path file, Map<String, String> values) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        Files.writeString(partial, values.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
        AdminKeyFile.restrictToOwner(partial);
        // Appears complete or not at all: scripts wait for this file.
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void stop(Running running) {
        log.info("Stopping the task scheduler");
        closeQuietly("services", running.system);
        closeQuietly("Kafka", running.kafka);
        closeQuietly("Redis", running.redis);
        closeQuietly("PostgreSQL", running.postgres);
        stopped.countDown();
        // Plain stdout: the logging system may already be shutting down with the JVM.
        System.out.println("Task scheduler stopped.");
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", file, e.toString());
        }
    }

    private static void closeQuietly(String what, AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("Stopping {} failed: {}", what, e.toString());
        }
    }

    /** What has been started so far; each part is stopped if present. */
    private static final class Running {
        volatile LocalPostgres postgres;
        volatile LocalRedis redis;
        volatile LocalKafka kafka;
        volatile TaskSchedulerSystem system;
    }
}
