package dev.taskscheduler.localinfra;

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
import java.util.concurrent.TimeUnit;

/**
 * Continuous archiving of a {@link LocalPostgres} cluster with pgBackRest, into a repository in {@code directory}: the
 * same tool and settings as the deployed PostgreSQL, so that backups, point-in-time restores and the ops scripts that
 * drive them can be tried on this machine.
 *
 * <p>{@code directory} holds the repository ({@code repo/}), pgBackRest's lock and log folders and its configuration
 * file ({@link #configFile()}), which is written on every start of the server with the data directory and port of
 * that start. Point the ops scripts (and {@code pgbackrest}) at it with {@code PGBACKREST_CONFIG} and
 * {@code PGBACKREST_STANZA}.
 *
 * @param directory where the repository and pgBackRest's files live
 * @param stanza    pgBackRest's name for this cluster
 * @param timeout   {@code archive_timeout}: a WAL segment is archived at least this often while anything is written
 */
public record WalArchive(Path directory, String stanza, Duration timeout) {

    public static final String DEFAULT_STANZA = "taskdb";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(1);

    /** Where the embedded binaries put the server's socket, which pgBackRest connects through. */
    private static final String SOCKET_DIRECTORY = "/tmp";

    public WalArchive {
        directory = directory.toAbsolutePath().normalize();
        if (!stanza.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("pgBackRest stanza '" + stanza + "' may hold letters, digits, '_', '-'");
        }
        if (timeout.toSeconds() < 1) {
            throw new IllegalArgumentException("archive_timeout must be at least one second, is " + timeout);
        }
    }

    /** An archive in {@code directory} with the stanza {@value #DEFAULT_STANZA} and a one-minute archive timeout. */
    public static WalArchive in(Path directory) {
        return new WalArchive(directory, DEFAULT_STANZA, DEFAULT_TIMEOUT);
    }

    public Path configFile() {
        return directory.resolve("pgbackrest.conf");
    }

    public Path repository() {
        return directory.resolve("repo");
    }

    /** The settings that make the server archive every WAL segment through pgBackRest. */
    Map<String, String> serverConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("archive_mode", "on");
        config.put("archive_timeout", timeout.toSeconds() + "s");
        // The server runs archive_command with /bin/sh; %p is the segment. A literal % must be doubled.
        String command = "pgbackrest --config=" + shellQuote(configFile().toString()).replace("%", "%%")
                + " --stanza=" + stanza + " archive-push %p";
        // The embedded server is started through pg_ctl -o "...", which a shell splits again.
        config.put("archive_command", shellQuote(command));
        return config;
    }

    /** Writes {@link #configFile()} for the server with {@code dataDir} on {@code port}. */
    void writeConfig(Path dataDir, int port) {
        String config = """
                # Written by LocalPostgres on every start of the server: pgBackRest's settings for its archive.
                [global]
                repo1-path=%s
                repo1-retention-full=2
                lock-path=%s
                log-path=%s
                log-level-file=info
                # Backups start with an immediate checkpoint instead of waiting for the next one.
                start-fast=y
                compress-type=lz4

                [%s]
                pg1-path=%s
                pg1-port=%d
                pg1-socket-path=%s
                pg1-user=postgres
                """.formatted(repository(), directory.resolve("lock"), directory.resolve("log"), stanza,
                dataDir.toAbsolutePath().normalize(), port, SOCKET_DIRECTORY);
        try {
            Files.createDirectories(repository());
            Files.createDirectories(directory.resolve("log"));
            Files.writeString(configFile(), config);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the pgBackRest configuration " + configFile(), e);
        }
    }

    /** Fails with a clear message when pgBackRest is not installed: without it, every WAL segment would pile up. */
    static void requirePgBackRest() {
        try {
            Process process = new ProcessBuilder("pgbackrest", "version").redirectErrorStream(true).start();
            process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0) {
                return;
            }
            process.destroyForcibly();
        } catch (IOException e) {
            // not installed: below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException(
                "WAL archiving needs pgBackRest on the PATH (Debian: apt-get install pgbackrest)");
    }

    /**
     * Runs {@code pgbackrest} with this archive's configuration and stanza, e.g. {@code run("backup", "--type=full")},
     * and returns what it printed; fails with that output when it exits with an error.
     */
    public String run(String... args) {
        List<String> command = new ArrayList<>(List.of("pgbackrest", "--config=" + configFile(), "--stanza=" + stanza));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish: " + output);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": "
                        + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command, e);
        }
    }

    /** {@code text} as one word for /bin/sh. */
    static String shellQuote(String text) {
        return "'" + text.replace("'", "'\"'\"'") + "'";
    }
}
