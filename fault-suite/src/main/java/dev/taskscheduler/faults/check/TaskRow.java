package dev.taskscheduler.faults.check;

import java.util.UUID;

/** A task as PostgreSQL has it at the end of a scenario. */
public record TaskRow(UUID id, String status, int retryCount, String workerId) {

    public boolean ended() {
        return status.equals("succeeded") || status.equals("dead_letter") || status.equals("cancelled");
    }
}
