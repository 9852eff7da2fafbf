package dev.taskscheduler.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Decides whether a Docker engine is reachable. Testcontainers is asked only when there is some sign of Docker on
 * this machine: without one, its probe costs half a second and logs an ERROR that would mislead every test run.
 */
final class DockerDetection {

    private static final Logger log = LoggerFactory.getLogger(DockerDetection.class);

    /** A Docker host that does not answer (a stale DOCKER_HOST) must not hold up the tests for long. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private DockerDetection() {
    }

    static boolean dockerAvailable() {
        Optional<String> sign = signOfDocker();
        if (sign.isEmpty()) {
            log.debug("No DOCKER_HOST, Testcontainers configuration or Docker socket found");
            return false;
        }
        log.debug("Asking Testcontainers whether Docker is reachable ({})", sign.get());
        CompletableFuture<Boolean> probe = new CompletableFuture<>();
        Thread prober = new Thread(() -> {
            try {
                probe.complete(DockerClientFactory.instance().isDockerAvailable());
            } catch (RuntimeException | LinkageError e) {
                probe.completeExceptionally(e);
            }
        }, "docker-detection");
        prober.setDaemon(true); // may stay blocked on an unresponsive host after the timeout
        prober.start();
        try {
            return probe.get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("Testcontainers did not tell within {} whether Docker is reachable ({}); assuming it is not",
                    PROBE_TIMEOUT, sign.get());
            return false;
        } catch (ExecutionException e) {
            log.warn("Testcontainers failed to look for Docker ({}); assuming it is not reachable", sign.get(),
                    e.getCause());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while looking for a Docker engine", e);
        }
    }

    /** The first configuration or socket, among the places Testcontainers looks, that exists here. */
    private static Optional<String> signOfDocker() {
        if (System.getenv("DOCKER_HOST") != null) {
            return Optional.of("DOCKER_HOST is set");
        }
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            return Optional.of("Windows, where Docker listens on a named pipe");
        }
        Path home = Path.of(System.getProperty("user.home"));
        List<Path> candidates = new ArrayList<>(List.of(
                home.resolve(".testcontainers.properties"),
                Path.of("/var/run/docker.sock"),
                home.resolve(".docker/run/docker.sock"),
                home.resolve(".docker/desktop/docker.sock"),
                home.resolve(".colima/default/docker.sock"),
                home.resolve(".rd/docker.sock")));
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        if (runtimeDir != null) {
            candidates.add(Path.of(runtimeDir, "docker.sock"));
        }
        return candidates.stream().filter(Files::exists).findFirst().map(path -> path + " exists");
    }
}
