package dev.taskscheduler.launcher.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script of {@code ops/scripts} as an operator would: a process with connection settings in
 * its environment. Also runs the client tools the scripts use ({@link #tool}), to check their effect.
 */
final class OpsScript {

    private static final long TIMEOUT_SECONDS = 120;

    /** The repository's {@code ops/scripts}, found from the module directory Maven runs the tests in. */
    static final Path SCRIPTS = locateScripts();

    private final String name;
    private final String executable;
    private final Map<String, String> environment = new LinkedHashMap<>();

    private OpsScript(String name, String executable) {
        this.name = name;
        this.executable = executable;
    }

    static OpsScript of(String name) {
        return new OpsScript(name, SCRIPTS.resolve(name).toString());
    }

    /** A program on the PATH, e.g. {@code redis-cli}. */
    static OpsScript tool(String name) {
        return new OpsScript(name, name);
    }

    /** Connection settings for PostgreSQL as libpq's variables. */
    OpsScript postgres(PostgresLogin login) {
        environment.put("PGHOST", login.host());
        environment.put("PGPORT", Integer.toString(login.port()));
        environment.put("PGDATABASE", login.database());
        environment.put("PGUSER", login.user());
        if (login.password() != null) {
            environment.put("PGPASSWORD", login.password());
        }
        return this;
    }

    OpsScript env(String variable, String value) {
        environment.put(variable, value);
        return this;
    }

    /** Runs the script with {@code args} and waits for it. */
    Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        // Only what is given here: settings of the machine running the tests must not leak in.
        builder.environment().keySet().removeIf(key -> key.startsWith("PG") || key.startsWith("REDIS")
                || key.equals("DATABASE_URL"));
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> stdout = read(process.getInputStream());
            CompletableFuture<String> stderr = read(process.getErrorStream());
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(name, process.exitValue(), stdout.join(), stderr.join());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + name, e);
        }
    }

    private static CompletableFuture<String> read(java.io.InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Path locateScripts() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            Path scripts = candidate.resolve("ops").resolve("scripts");
            if (Files.isDirectory(scripts)) {
                return scripts;
            }
        }
        throw new IllegalStateException("No ops/scripts above " + dir);
    }

    /** What a script did: its exit code and output. */
    record Result(String script, int exitCode, String stdout, String stderr) {

        /** The lines of CSV output after the header, as produced by the scripts' {@code --csv}. */
        List<String> csvRows() {
            List<String> lines = stdout.lines().filter(line -> !line.isBlank()).toList();
            return lines.isEmpty() ? List.of() : lines.subList(1, lines.size());
        }

        /** The first column of every CSV row: the task ids. */
        List<String> csvIds() {
            return csvRows().stream().map(row -> row.split(",", 2)[0]).toList();
        }

        @Override
        public String toString() {
            return script + " exited " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** A PostgreSQL login; {@code password} null for none (the local superuser). */
    record PostgresLogin(String host, int port, String database, String user, String password) {

        PostgresLogin withDatabase(String other) {
            return new PostgresLogin(host, port, other, user, password);
        }

        PostgresLogin withUser(String otherUser, String otherPassword) {
            return new PostgresLogin(host, port, database, otherUser, otherPassword);
        }

        String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }
}
