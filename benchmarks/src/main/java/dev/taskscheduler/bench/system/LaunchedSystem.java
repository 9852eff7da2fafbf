package dev.taskscheduler.bench.system;

import dev.taskscheduler.localinfra.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The whole system started by the dev launcher ({@code task-scheduler-dev}) in a child JVM, on
 * fresh embedded infrastructure in a data folder of its own. A separate process keeps the load
 * generator's CPU and garbage out of the services' JVM and lets heap, JFR and GC be taken from
 * the services alone.
 */
public final class LaunchedSystem implements SystemUnderTest {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final Path dataDir;
    private final Endpoints endpoints;

    private LaunchedSystem(Process process, Path dataDir, Endpoints endpoints) {
        this.process = process;
        this.dataDir = dataDir;
        this.endpoints = endpoints;
    }

    /**
     * @param launcherJar the dev launcher's executable jar
     * @param jvmArgs     JVM options of the services' process (heap, JFR, system properties)
     * @param log         where the services' output goes
     */
    public static LaunchedSystem start(Path launcherJar, Path dataDir, List<String> jvmArgs, Path log) {
        if (!Files.isRegularFile(launcherJar)) {
            throw new IllegalStateException(launcherJar + " is missing: build it with "
                    + "./mvnw -q -DskipTests -pl dev-launcher,benchmarks -am package (bin/benchmark does)");
        }
        // The launcher picks Kafka's, PostgreSQL's and Redis's ports itself and may, rarely, pick
        // one of the ports chosen here for the services (four, and their management ports ten above):
        // that start fails, and another block is tried.
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(launcherJar, dataDir, jvmArgs, log);
            } catch (SystemExitedException e) {
                if (attempt == START_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static LaunchedSystem startOnce(Path launcherJar, Path dataDir, List<String> jvmArgs, Path log) {
        int apiPort = freeBlockOfFour();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", launcherJar.toAbsolutePath().toString(),
                "--data-dir=" + dataDir.toAbsolutePath(), "--api-port=" + apiPort, "--kafka-port=0",
                "--postgres-port=0", "--redis-port=0"));
        Path endpointsFile = dataDir.resolve("endpoints.env");
        try {
            Files.createDirectories(dataDir);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!Files.exists(endpointsFile)) {
                if (!process.isAlive()) {
                    throw new SystemExitedException("The system exited with " + process.exitValue() + " while "
                            + "starting; see " + log);
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("The system did not start within " + START_TIMEOUT + "; see "
                            + log);
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
            TimeUnit.MILLISECONDS.sleep(200); // the file is written in one call; let it be complete
            return new LaunchedSystem(process, dataDir, Endpoints.read(endpointsFile));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the system", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the system", e);
        }
    }

    /** The launcher puts the relay, scheduler and worker on the three ports after the API's. */
    private static int freeBlockOfFour() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = FreePorts.pick();
            try {
                for (int i = 1; i <= 3; i++) {
                    FreePorts.orPick(base + i, "a service");
                }
                // The services' management ports, ten above their service ports.
                for (int i = 10; i <= 13; i++) {
                    FreePorts.orPick(base + i, "a management port");
                }
                return base;
            } catch (IllegalStateException | IllegalArgumentException e) {
                // taken: try another block
            }
        }
        throw new IllegalStateException("No block of four free ports found");
    }

    @Override
    public Endpoints endpoints() {
        return endpoints;
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public Path schedulerStateDir() {
        return dataDir.resolve("scheduler-state");
    }

    /** SIGTERM, so the launcher stops the services and infrastructure in order (and JFR is dumped). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static final class SystemExitedException extends IllegalStateException {
        SystemExitedException(String message) {
            super(message);
        }
    }
}
