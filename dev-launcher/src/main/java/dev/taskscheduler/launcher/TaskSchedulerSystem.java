package dev.taskscheduler.launcher;

import dev.taskscheduler.api.IngestApiApplication;
import dev.taskscheduler.api.security.ApiKeyService;
import dev.taskscheduler.api.security.NewApiKey;
import dev.taskscheduler.relay.OutboxRelayApplication;
import dev.taskscheduler.scheduler.SchedulerStreamsApplication;
import dev.taskscheduler.worker.WorkerApplication;
import dev.taskscheduler.relay.engine.RelayStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * The four services (api-server, outbox-relay, scheduler, worker) started in this JVM against the
 * given infrastructure, each in its own Spring context with its own configuration file, exactly as
 * they run as separate processes. Used by the dev launcher and by the end-to-end tests.
 */
public final class TaskSchedulerSystem implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskSchedulerSystem.class);

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Map<String, ConfigurableApplicationContext> services = new LinkedHashMap<>();
    private InfrastructureEndpoints infrastructure;
    private String[] extraArgs;
    private ServicePorts ports;
    /** Management ports to start services on again after a restart (the ones they had). */
    private final Map<String, Integer> restartManagementPorts = new LinkedHashMap<>();
    private int schedulerPort;
    private String[] schedulerArgs;

    private TaskSchedulerSystem() {
    }

    /**
     * Starts the services in dependency order. The relay starts first and must be streaming before
     * anything is accepted: on a fresh database its replication slot does not exist until then, and
     * events committed before the slot exists would never be relayed.
     *
     * @param stateDir   where the scheduler keeps its local state store
     * @param extraArgs  further {@code --key=value} arguments given to every service
     */
    public static TaskSchedulerSystem start(InfrastructureEndpoints infrastructure, ServicePorts ports,
            Path stateDir, String... extraArgs) {
        TaskSchedulerSystem system = new TaskSchedulerSystem();
        system.infrastructure = infrastructure;
        system.extraArgs = extraArgs;
        system.ports = ports;
        try {
            system.startService("outbox-relay", OutboxRelayApplication.builder(), infrastructure,
                    ports.outboxRelay(), extraArgs);
            system.awaitRelayStreaming();
            system.startService("api-server", IngestApiApplication.builder(), infrastructure, ports.apiServer(),
                    extraArgs);
            system.schedulerPort = ports.scheduler();
            system.schedulerArgs = concat(extraArgs, "--spring.kafka.streams.state-dir=" + stateDir);
            system.startScheduler();
            system.startService("worker", WorkerApplication.builder(), infrastructure, ports.worker(), extraArgs);
            return system;
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
    }

    private void startScheduler() {
        startService("scheduler", SchedulerStreamsApplication.builder(), infrastructure, schedulerPort, schedulerArgs);
        awaitSchedulerRunning();
    }

    /**
     * Stops the scheduler cleanly and starts it again on the same state directory, as a rolling
     * restart of its pod does.
     */
    public void restartScheduler() {
        restartManagementPorts.put("scheduler", managementPort("scheduler"));
        services.remove("scheduler").close();
        startScheduler();
    }

    /**
     * Restarts one service on its port with new infrastructure endpoints, e.g. rotated credentials,
     * as a rollout restart of its pods does: the others keep running with the endpoints they were
     * started with. Later restarts of any service use the new endpoints.
     */
    public void restart(String service, InfrastructureEndpoints newInfrastructure) {
        int port = port(service);
        restartManagementPorts.put(service, managementPort(service));
        services.remove(service).close();
        infrastructure = newInfrastructure;
        switch (service) {
            case "outbox-relay" -> {
                startService(service, OutboxRelayApplication.builder(), infrastructure, port, extraArgs);
                awaitRelayStreaming();
            }
            case "api-server" -> startService(service, IngestApiApplication.builder(), infrastructure, port, extraArgs);
            case "scheduler" -> {
                schedulerPort = port;
                startScheduler();
            }
            case "worker" -> startService(service, WorkerApplication.builder(), infrastructure, port, extraArgs);
            default -> throw new IllegalArgumentException("No service " + service);
        }
    }

    private void startService(String name, SpringApplicationBuilder builder, InfrastructureEndpoints infrastructure,
            int port, String[] extraArgs) {
        long started = System.nanoTime();
        List<String> args = serviceArguments(port,
                restartManagementPorts.getOrDefault(name, ports.managementPort(port)), infrastructure);
        args.addAll(Arrays.asList(extraArgs));
        // One shutdown sequence for all services (see close()), not one hook per context.
        ConfigurableApplicationContext context = builder.registerShutdownHook(false).run(args.toArray(String[]::new));
        services.put(name, context);
        log.info("Started {} on port {} in {} ms", name, port(name), (System.nanoTime() - started) / 1_000_000);
    }

    /** The arguments that give a service its ports and the infrastructure it talks to. */
    public static List<String> serviceArguments(int port, int managementPort, InfrastructureEndpoints infrastructure) {
        return new ArrayList<>(List.of(
                "--server.port=" + port,
                "--management.server.port=" + managementPort,
                "--spring.kafka.bootstrap-servers=" + infrastructure.kafkaBootstrapServers(),
                "--spring.datasource.url=" + infrastructure.jdbcUrl(),
                "--spring.datasource.username=" + infrastructure.jdbcUsername(),
                "--spring.datasource.password=" + infrastructure.jdbcPassword(),
                "--spring.data.redis.url=" + infrastructure.redisUrl()));
    }

    /** The application of a service by its name. */
    public static SpringApplicationBuilder builder(String service) {
        return switch (service) {
            case "outbox-relay" -> OutboxRelayApplication.builder();
            case "api-server" -> IngestApiApplication.builder();
            case "scheduler" -> SchedulerStreamsApplication.builder();
            case "worker" -> WorkerApplication.builder();
            default -> throw new IllegalArgumentException("No service " + service);
        };
    }

    /**
     * Waits until a started service does its work: the relay streams (on a fresh database its slot
     * does not exist before), the scheduler's Kafka Streams hold their partitions. The others are
     * ready once their context is.
     */
    public static void awaitReady(String service, ConfigurableApplicationContext context) {
        if (service.equals("outbox-relay")) {
            RelayStatus status = context.getBean(RelayStatus.class);
            awaitCondition("the outbox relay to stream", () -> status.state() == RelayStatus.State.STREAMING,
                    () -> "state " + status.state() + ", last error: " + status.lastError());
        } else if (service.equals("scheduler")) {
            // Until its first rebalance is done the scheduler holds no timers, so "up" waits for it.
            StreamsBuilderFactoryBean streams = context.getBean(StreamsBuilderFactoryBean.class);
            awaitCondition("the scheduler's Kafka Streams to run",
                    () -> streams.getKafkaStreams() != null
                            && streams.getKafkaStreams().state() == KafkaStreams.State.RUNNING,
                    () -> "state " + (streams.getKafkaStreams() == null ? "none" : streams.getKafkaStreams().state()));
        }
    }

    private void awaitRelayStreaming() {
        awaitReady("outbox-relay", services.get("outbox-relay"));
    }

    private void awaitSchedulerRunning() {
        awaitReady("scheduler", services.get("scheduler"));
    }

    private static void awaitCondition(String what, BooleanSupplier condition, Supplier<String> diagnosis) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Gave up waiting for " + what + " after " + START_TIMEOUT + " ("
                        + diagnosis.get() + ")");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + what, e);
            }
        }
    }

    /** The actual HTTP port of a service (resolved when it was started on port 0). */
    public int port(String service) {
        return Integer.parseInt(services.get(service).getEnvironment().getProperty("local.server.port", "-1"));
    }

    /** The actual management (actuator) port of a service. */
    public int managementPort(String service) {
        return Integer.parseInt(services.get(service).getEnvironment().getProperty("local.management.port", "-1"));
    }

    /** Where a service's Prometheus metrics are. */
    public String metricsUrl(String service) {
        return "http://localhost:" + managementPort(service) + "/actuator/prometheus";
    }

    public String apiUrl() {
        return "http://localhost:" + port("api-server");
    }

    /**
     * Creates an API key with the given scopes directly through the api-server (as its first admin
     * key must be made: no key exists yet to ask the API with); returns the secret.
     *
     * @param name      unique among active keys
     * @param taskTypes the types it reaches, or null for all
     */
    public String createApiKey(String name, List<String> scopes, List<String> taskTypes, Duration lifetime) {
        return services.get("api-server").getBean(ApiKeyService.class)
                .create(new NewApiKey(name, scopes, taskTypes, lifetime.toString(), null), "dev-launcher").key();
    }

    public ConfigurableApplicationContext context(String service) {
        return services.get(service);
    }

    /** Stops the services in reverse start order: workers first, the relay last. */
    @Override
    public void close() {
        List<String> names = new ArrayList<>(services.keySet());
        for (int i = names.size() - 1; i >= 0; i--) {
            try {
                services.get(names.get(i)).close();
            } catch (RuntimeException e) {
                log.warn("Stopping {} failed: {}", names.get(i), e.toString());
            }
        }
        services.clear();
    }

    private static String[] concat(String[] args, String... more) {
        return Stream.concat(Arrays.stream(args), Arrays.stream(more)).toArray(String[]::new);
    }
}
