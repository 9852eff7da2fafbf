package dev.taskscheduler.launcher.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskscheduler.localinfra.FreePorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process mode itself: each part is a process of its own (the launcher's child, watching its
 * server), a crash kills the server and its watcher, closing the launcher stops every part,
 * and a launcher that dies without a goodbye takes its children with it. Only PostgreSQL and
 * Redis run here (seconds to start); the services go through the same code.
 */
class ProcessModeSystemTest {

    private static final Duration GONE = Duration.ofSeconds(30);

    @TempDir
    Path data;

    @Test
    void shouldRunEachPartInAProcessOfItsOwnAndStopThemAllOnClose() {
        ProcessModeSystem system = ProcessModeSystem.start(settings(data),
                List.of(List.of(Part.POSTGRES, Part.REDIS)));
        long postgresPart;
        long redisPart;
        ProcessHandle postmaster;
        ProcessHandle redisServer;
        try {
            postgresPart = system.part(Part.POSTGRES).pid();
            redisPart = system.part(Part.REDIS).pid();
            assertThat(List.of(postgresPart, redisPart)).doesNotHaveDuplicates()
                    .doesNotContain(ProcessHandle.current().pid());
            assertThat(ProcessHandle.of(postgresPart).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
                    .contains(ProcessHandle.current().pid());
            postmaster = server(data.resolve("postgres/postmaster.pid"));
            redisServer = server(data.resolve("redis/redis.pid"));
            // Redis is the part's child; PostgreSQL's server detaches from it (pg_ctl), which is why a
            // crash and a stop find it by its pid file.
            assertThat(redisServer.parent().map(ProcessHandle::pid)).contains(redisPart);
            assertThat(postmaster.isAlive()).isTrue();
        } finally {
            system.close();
        }
        assertThat(system.part(Part.POSTGRES).isAlive()).isFalse();
        assertThat(system.part(Part.REDIS).isAlive()).isFalse();
        await().atMost(GONE).until(() -> !postmaster.isAlive() && !redisServer.isAlive());
    }

    @Test
    void shouldKillTheServerWithItsPartOnACrashAndStartBothAgain() {
        try (ProcessModeSystem system = ProcessModeSystem.start(settings(data), List.of(List.of(Part.REDIS)))) {
            long before = system.part(Part.REDIS).pid();
            ProcessHandle server = server(data.resolve("redis/redis.pid"));

            system.crash(Part.REDIS);

            assertThat(server.isAlive()).isFalse();
            assertThat(system.part(Part.REDIS).isAlive()).isFalse();
            system.restart(Part.REDIS.id());
            assertThat(system.part(Part.REDIS).pid()).isNotEqualTo(before);
            assertThat(server(data.resolve("redis/redis.pid")).isAlive()).isTrue();
        }
    }

    @Test
    void shouldStopEveryPartWhenTheLauncherIsKilled() throws Exception {
        Process launcher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), OnePartLauncher.class.getName(),
                data.toString()).redirectErrorStream(true).start();
        try {
            long child = CompletableFuture.supplyAsync(() -> childPid(launcher)).get(120, TimeUnit.SECONDS);
            ProcessHandle server = server(data.resolve("redis/redis.pid"));
            assertThat(ProcessHandle.of(child)).isPresent();

            launcher.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook of the launcher runs

            await().atMost(GONE).until(() -> ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)
                    == Boolean.FALSE && !server.isAlive());
        } finally {
            launcher.destroyForcibly();
        }
    }

    static ProcessModeSettings settings(Path data) {
        Map<Part, Integer> ports = ProcessModeSettings.servicePorts(0, FreePorts::pick);
        return new ProcessModeSettings(data, FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), ports,
                ProcessModeSettings.managementPorts(ports, 0, FreePorts::pick), Map.of(), List.of(), Map.of(),
                List.of("-Xmx128m", "-XX:+UseSerialGC"));
    }

    /** The server process a part started, from the pid file it wrote. */
    private static ProcessHandle server(Path pidFile) {
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            Optional<ProcessHandle> server = ProcessHandle.of(pid);
            assertThat(server).as("server process %s", pid).isPresent();
            return server.orElseThrow();
        } catch (IOException e) {
            throw new AssertionError("No pid file " + pidFile, e);
        }
    }

    /** Reads the launcher's output until it names its child. */
    private static long childPid(Process launcher) {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("child-pid=")) {
                    return Long.parseLong(line.substring("child-pid=".length()).trim());
                }
            }
            throw new AssertionError("The launcher ended without naming its child");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
