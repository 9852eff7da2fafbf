package dev.taskscheduler.bench.measure;

/**
 * How the benchmark finds the rows of tasks it submitted: by the id the REST API answered with, or
 * by the idempotency key of a record produced to the submission topic (whose task id the
 * api-server derives from it).
 */
public enum TaskLookup {
    BY_ID("id", "uuid"),
    BY_KEY("idempotency_key", "text");

    private final String column;
    private final String type;

    TaskLookup(String column, String type) {
        this.column = column;
        this.type = type;
    }

    /** {@code t.<column> = ANY(?::<type>[])}: the condition on one array parameter of handles as text. */
    public String matchAny(String alias) {
        return alias + "." + column + " = ANY(?::" + type + "[])";
    }

    /** The handle of a row as text. */
    public String handle(String alias) {
        return alias + "." + column + "::text";
    }
}
