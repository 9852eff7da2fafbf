package dev.taskscheduler.model;

import java.util.Arrays;

/** Status of a task as stored in the {@code tasks.status} column. */
public enum TaskStatus {
    PENDING("pending"),
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    DEAD_LETTER("dead_letter"),
    CANCELLED("cancelled");

    private final String dbValue;

    TaskStatus(String dbValue) {
        this.dbValue = dbValue;
    }

    /** The value stored in PostgreSQL and shown in the API (the runbook's spelling). */
    public String dbValue() {
        return dbValue;
    }

    public boolean isTerminal() {
        return this == SUCCEEDED || this == DEAD_LETTER || this == CANCELLED;
    }

    public static TaskStatus fromDbValue(String value) {
        return Arrays.stream(values())
                .filter(status -> status.dbValue.equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown task status '" + value + "'"));
    }
}
