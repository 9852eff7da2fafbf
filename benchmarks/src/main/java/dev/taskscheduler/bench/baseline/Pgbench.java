package dev.taskscheduler.bench.baseline;

import dev.taskscheduler.bench.system.Endpoints;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs PostgreSQL's pgbench with one of this module's scripts and reads its transactions per second. */
final class Pgbench {

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");

    private final String executable;
    private final Endpoints endpoints;
    private final String database;
    private final Path workDir;

    Pgbench(String executable, Endpoints endpoints, String database, Path workDir) {
        this.executable = executable;
        this.endpoints = endpoints;
        this.database = database;
        this.workDir = workDir;
    }

    /** Whether pgbench can be run at all (Debian: postgresql-client or postgresql-contrib). */
    static boolean available(String executable) {
        try {
            Process process = new ProcessBuilder(executable, "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * @param limit {@code -T seconds} or {@code -t transactions-per-client}
     * @return transactions per second, without connection time, as pgbench reports it
     */
    double run(String script, int clients, List<String> limit) throws IOException, InterruptedException {
        Path file = workDir.resolve(script);
        try (InputStream in = Pgbench.class.getResourceAsStream("/pgbench/" + script)) {
            Files.write(file, in.readAllBytes());
        }
        List<String> command = new ArrayList<>(List.of(executable, "-n", "-M", "prepared", "-h", endpoints.dbHost(),
                "-p", Integer.toString(endpoints.dbPort()), "-U", endpoints.dbUser(), "-c", Integer.toString(clients),
                "-j", Integer.toString(Math.min(clients, Runtime.getRuntime().availableProcessors())), "-D", "k=0",
                "-f", file.toString()));
        command.addAll(limit);
        command.add(database);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", endpoints.dbPassword());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("pgbench " + script + " failed:\n" + output);
        }
        Files.writeString(workDir.resolve(script + ".out"), output);
        Matcher tps = TPS.matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("No tps in the output of pgbench " + script + ":\n" + output);
        }
        return Double.parseDouble(tps.group(1));
    }
}
