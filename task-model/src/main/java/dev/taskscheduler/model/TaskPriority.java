package dev.taskscheduler.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;

/**
 * How urgent a task is. Each priority of a pool has a ready topic of its own and worker threads of
 * its own, so tasks of one priority never wait behind a backlog of another; within one scheduler
 * punctuation, due tasks are released high first, then normal, then low.
 */
public enum TaskPriority {
    HIGH("high"),
    NORMAL("normal"),
    LOW("low");

    private final String value;

    TaskPriority(String value) {
        this.value = value;
    }

    /** The spelling in the API, the {@code tasks.priority} column and on Kafka. */
    @JsonValue
    public String value() {
        return value;
    }

    /** Null (older records, omitted fields) means normal. */
    @JsonCreator
    public static TaskPriority fromValue(String value) {
        if (value == null) {
            return NORMAL;
        }
        return Arrays.stream(values())
                .filter(priority -> priority.value.equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown task priority '" + value + "'"));
    }

    public static List<String> allValues() {
        return Arrays.stream(values()).map(TaskPriority::value).toList();
    }
}
