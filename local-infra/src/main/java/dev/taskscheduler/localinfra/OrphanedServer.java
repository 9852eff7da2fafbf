package dev.taskscheduler.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deals with server processes (postgres, redis-server) that outlive the JVM that started them when that JVM is
 * killed without running its shutdown hooks (kill -9, an IDE's hard stop). Such a server still holds the port and the
 * data directory, so the next start on the same directory would fail.
 */
final class OrphanedServer {

    private static final Logger log = LoggerFactory.getLogger(OrphanedServer.class);
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(10);

    private OrphanedServer() {
    }

    /**
     * Takes an exclusive lock on {@code lockFile}, failing with a clear message when a live process (this JVM or
     * another one) holds it: that process owns the data directory and its server is no orphan.
     */
    static FileLock lockDataDir(Path lockFile) {
        try {
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("Data directory " + lockFile.getParent()
                        + " is in use by a server of another running process or of this JVM (lock " + lockFile + ")");
            }
            return lock;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lock " + lockFile, e);
        }
    }

    /** Releases a lock from {@link #lockDataDir} together with its channel. */
    static void release(FileLock lock) {
        try {
            lock.channel().close();
        } catch (IOException e) {
            log.warn("Cannot release lock on {}", lock, e);
        }
    }

    /**
     * Stops the process whose id is on the first line of {@code pidFile} when it is still alive and its command
     * contains {@code commandFragment}. The caller must hold the data directory's lock, so that process is an orphan.
     */
    static void stopIfRunning(Path pidFile, String commandFragment) {
        readPid(pidFile)
                .flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(c -> c.contains(commandFragment)).orElse(false))
                .ifPresent(process -> stop(process, pidFile));
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            return Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream()
                    .findFirst()
                    .map(String::trim)
                    .filter(line -> line.matches("\\d+"))
                    .map(Long::valueOf);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read pid file " + pidFile, e);
        }
    }

    private static void stop(ProcessHandle process, Path pidFile) {
        log.warn("Stopping orphaned server process {} ({}) left running by an earlier run, found through {}",
                process.pid(), process.info().command().orElse("?"), pidFile);
        process.destroy(); // SIGTERM: both postgres and redis-server shut down cleanly on it
        if (!awaitExit(process, GRACEFUL_STOP)) {
            log.warn("Process {} ignored SIGTERM for {}, killing it", process.pid(), GRACEFUL_STOP);
            process.destroyForcibly();
            if (!awaitExit(process, GRACEFUL_STOP)) {
                throw new IllegalStateException("Orphaned server process " + process.pid() + " from " + pidFile
                        + " does not stop; stop it by hand");
            }
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot wait for process " + process.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for process " + process.pid() + " to exit", e);
        }
    }
}
