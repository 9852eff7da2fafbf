package dev.taskscheduler.launcher.process;

import dev.taskscheduler.launcher.InfrastructureEndpoints;
import dev.taskscheduler.launcher.TaskSchedulerSystem;
import dev.taskscheduler.localinfra.LocalKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system with every part in a process of its own: Kafka in a JVM, PostgreSQL and Redis as their
 * server processes (each watched by a small JVM that started it), and each of the four services in
 * its own JVM with the configuration it has in one JVM. A fault can then hit one part: a SIGKILL or
 * SIGSTOP, a restart. Logs go to {@code logs/<part>.log} under the data folder.
 */
public final class ProcessModeSystem implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProcessModeSystem.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    /** The worker's own shutdown grace (30 s) and a little more. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(40);

    private final ProcessModeSettings settings;
    private final Map<String, ChildPart> parts = new LinkedHashMap<>();

    private ProcessModeSystem(ProcessModeSettings settings) {
        this.settings = settings;
    }

    /** Starts the infrastructure, then the relay (streaming before anything is accepted), then the rest. */
    public static ProcessModeSystem start(ProcessModeSettings settings) {
        return start(settings, List.of(List.of(Part.KAFKA, Part.POSTGRES, Part.REDIS), List.of(Part.OUTBOX_RELAY),
                List.of(Part.API_SERVER, Part.SCHEDULER, Part.WORKER)));
    }

    /** Starts the parts of each group together, group after group: some of the system, for the tests of this mode. */
    static ProcessModeSystem start(ProcessModeSettings settings, List<List<Part>> groups) {
        ProcessModeSystem system = new ProcessModeSystem(settings);
        try {
            groups.forEach(system::startTogether);
            return system;
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
    }

    private void startTogether(List<Part> group) {
        List<ChildPart> started = new ArrayList<>();
        for (Part part : group) {
            ChildPart child = part.isService()
                    ? define(part.id(), part, settings.port(part), settings.managementPort(part), List.of(), Map.of())
                    : define(part.id(), part, 0, 0, List.of(), Map.of());
            child.start();
            started.add(child);
        }
        long began = System.nanoTime();
        started.forEach(child -> child.awaitReady(START_TIMEOUT));
        log.info("Started {} in {} ms", group.stream().map(Part::id).toList(), (System.nanoTime() - began) / 1_000_000);
    }

    /**
     * Starts a further worker (a second member of the worker pools) under {@code name}, with its own
     * environment (e.g. a faked clock) and further arguments, and waits until it is up.
     */
    public ChildPart startExtraWorker(String name, int port, int managementPort, Map<String, String> environment,
            List<String> args) {
        ChildPart child = define(name, Part.WORKER, port, managementPort, args, environment);
        child.start();
        child.awaitReady(START_TIMEOUT);
        return child;
    }

    /** A child for {@code part} under {@code name}; a service listens on {@code port} and {@code managementPort}. */
    private ChildPart define(String name, Part part, int port, int managementPort, List<String> moreArgs,
            Map<String, String> environment) {
        Path data = settings.dataDir();
        Path readyFile = data.resolve("run").resolve(name + ".ready");
        List<String> command = ChildPart.javaCommand(settings.jvmOptions());
        command.addAll(List.of("--part", part.id(), "--ready-file", readyFile.toString()));
        switch (part) {
            case KAFKA -> {
                command.addAll(List.of("--data-dir", data.resolve("kafka").toString(),
                        "--port", Integer.toString(settings.kafkaPort())));
                for (LocalKafka.ExtraListener listener : settings.kafkaListeners()) {
                    command.addAll(List.of("--listener",
                            listener.name() + ":" + listener.port() + ":" + listener.advertisedPort()));
                }
            }
            case POSTGRES -> command.addAll(List.of("--data-dir", data.resolve("postgres").toString(),
                    "--port", Integer.toString(settings.postgresPort())));
            case REDIS -> command.addAll(List.of("--data-dir", data.resolve("redis").toString(),
                    "--port", Integer.toString(settings.redisPort())));
            default -> {
                if (part == Part.API_SERVER) {
                    command.addAll(List.of("--admin-key-file", data.resolve("api-key").toString()));
                }
                command.add("--");
                InfrastructureEndpoints endpoints = settings.endpoints().getOrDefault(part, settings.directEndpoints());
                // Each property once: Spring joins a repeated command-line property into a list.
                command.addAll(TaskSchedulerSystem.serviceArguments(port, managementPort, endpoints));
                command.addAll(List.of("--spring.main.banner-mode=off",
                        "--spring.kafka.streams.state-dir=" + data.resolve("scheduler-state")));
                command.addAll(settings.serviceArgs().getOrDefault("*", List.of()));
                command.addAll(settings.serviceArgs().getOrDefault(part.id(), List.of()));
                command.addAll(moreArgs); // last: they win over the ones before
            }
        }
        createDirectories(readyFile.getParent());
        ChildPart child = new ChildPart(name, command, environment, data.resolve("logs").resolve(name + ".log"),
                readyFile);
        parts.put(name, child);
        return child;
    }

    public ChildPart part(String name) {
        ChildPart child = parts.get(name);
        if (child == null) {
            throw new IllegalArgumentException("No part " + name + " (have " + parts.keySet() + ")");
        }
        return child;
    }

    public ChildPart part(Part part) {
        return part(part.id());
    }

    /** Starts a part again after it was killed or stopped, and waits until it is ready. */
    public void restart(String name) {
        ChildPart child = part(name);
        if (child.isAlive()) {
            child.stop(STOP_GRACE);
        }
        child.start();
        child.awaitReady(START_TIMEOUT);
    }

    /**
     * Kills a part with SIGKILL, as a crash would. For PostgreSQL and Redis that is their server
     * processes (every PostgreSQL process, so that a new postmaster can start at once) and the JVM
     * that watched them.
     */
    public void crash(Part part) {
        serverPidFile(part).flatMap(ProcessModeSystem::readPid).flatMap(ProcessHandle::of).ifPresent(server -> {
            List<ProcessHandle> all = Stream.concat(Stream.of(server), server.descendants()).toList();
            all.forEach(ProcessHandle::destroyForcibly);
            all.forEach(process -> process.onExit().join());
        });
        part(part).kill();
    }

    private Optional<Path> serverPidFile(Part part) {
        return switch (part) {
            case POSTGRES -> Optional.of(settings.dataDir().resolve("postgres").resolve("postmaster.pid"));
            case REDIS -> Optional.of(settings.dataDir().resolve("redis").resolve("redis.pid"));
            default -> Optional.empty();
        };
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            return Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream().findFirst().map(String::trim)
                    .filter(line -> line.matches("\\d+")).map(Long::valueOf);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + pidFile, e);
        }
    }

    public ProcessModeSettings settings() {
        return settings;
    }

    /** Services first, newest first, each with its shutdown grace; then the infrastructure together. */
    @Override
    public void close() {
        List<ChildPart> all = new ArrayList<>(parts.values());
        java.util.Collections.reverse(all);
        List<ChildPart> services = all.stream().filter(child -> !isInfrastructure(child.name())).toList();
        CompletableFuture.allOf(services.stream()
                .map(child -> CompletableFuture.runAsync(() -> child.stop(STOP_GRACE)))
                .toArray(CompletableFuture[]::new)).join();
        CompletableFuture.allOf(all.stream().filter(child -> isInfrastructure(child.name()))
                .map(child -> CompletableFuture.runAsync(() -> child.stop(STOP_GRACE)))
                .toArray(CompletableFuture[]::new)).join();
    }

    private static boolean isInfrastructure(String name) {
        return name.equals("kafka") || name.equals("postgres") || name.equals("redis");
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir, e);
        }
    }
}
