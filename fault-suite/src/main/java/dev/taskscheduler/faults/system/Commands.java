package dev.taskscheduler.faults.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The system commands the suite runs as root (mount, iptables): run, and told what went wrong. */
public final class Commands {

    private static final long TIMEOUT_SECONDS = 30;

    private Commands() {
    }

    /** Runs {@code command}; null when it exited with 0, else the command and what it said. */
    public static String run(List<String> command) {
        String line = String.join(" ", command);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return line + " did not finish within " + TIMEOUT_SECONDS + " s";
            }
            return process.exitValue() == 0 ? null : line + " exited with " + process.exitValue() + ": " + output;
        } catch (IOException e) {
            return line + " could not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return line + " interrupted";
        }
    }
}
