package dev.taskscheduler.faults.ledger;

import java.util.UUID;

/**
 * One run of a ledger task's handler, as the worker that ran it wrote it down: which task and
 * attempt, which worker (its id and process), and whether the handler succeeded.
 */
public record Execution(UUID taskId, int attempt, String workerId, long pid, long startedMillis, long endedMillis,
                        boolean succeeded) {

    /** One line of an executions file: space-separated fields (worker ids hold none). */
    public String line() {
        return taskId + " " + attempt + " " + workerId + " " + pid + " " + startedMillis + " " + endedMillis + " "
                + (succeeded ? "succeeded" : "failed") + "\n";
    }

    public static Execution parse(String line) {
        String[] f = line.trim().split(" ");
        if (f.length != 7) {
            throw new IllegalArgumentException("Not an execution line: " + line);
        }
        return new Execution(UUID.fromString(f[0]), Integer.parseInt(f[1]), f[2], Long.parseLong(f[3]),
                Long.parseLong(f[4]), Long.parseLong(f[5]), f[6].equals("succeeded"));
    }
}
