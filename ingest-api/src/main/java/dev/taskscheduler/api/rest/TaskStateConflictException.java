package dev.taskscheduler.api.rest;

import java.util.UUID;

/** The task exists but its status does not allow the operation (e.g. cancelling a running task). */
public class TaskStateConflictException extends RuntimeException {

    private final String status;

    public TaskStateConflictException(UUID id, String status, String operation) {
        super("Task " + id + " is " + status + "; only a pending task can " + operation);
        this.status = status;
    }

    public String status() {
        return status;
    }
}
