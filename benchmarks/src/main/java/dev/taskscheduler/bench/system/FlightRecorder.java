package dev.taskscheduler.bench.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Java Flight Recorder in the services' process, driven with jcmd: started once the system is up
 * and dumped before it stops, so the recording holds the load and not the start-up.
 */
public final class FlightRecorder {

    private static final String NAME = "benchmark";

    private final long pid;

    public FlightRecorder(long pid) {
        this.pid = pid;
    }

    public void start() throws IOException, InterruptedException {
        jcmd("JFR.start", "name=" + NAME, "settings=profile");
    }

    public void dump(Path file) throws IOException, InterruptedException {
        jcmd("JFR.dump", "name=" + NAME, "filename=" + file.toAbsolutePath());
    }

    /** Runs a diagnostic command in the services' JVM. */
    public static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd")
                .toString(), Long.toString(pid)));
        args.addAll(List.of(command));
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    private void jcmd(String... command) throws IOException, InterruptedException {
        jcmd(pid, command);
    }
}
