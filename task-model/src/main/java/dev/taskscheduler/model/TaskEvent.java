package dev.taskscheduler.model;

import java.util.Objects;
import java.util.UUID;

/**
 * A lifecycle event on {@link Topics#TASK_EVENTS}, written by the database trigger into the outbox.
 *
 * @param taskId  the task
 * @param type    the task type, which decides the worker pool
 * @param attempt the attempt the event refers to ({@code retry_count} at the time)
 * @param runAt   due time in epoch milliseconds
 * @param version  increases with every event of the same task; a smaller one is a stale replay
 * @param priority decides the ready topic; absent in events written before priorities existed (normal)
 */
public record TaskEvent(UUID taskId, String type, int attempt, long runAt, long version, TaskPriority priority) {

    public TaskEvent {
        Objects.requireNonNull(taskId, "a task event needs taskId");
        Objects.requireNonNull(type, "a task event needs type");
        priority = priority == null ? TaskPriority.NORMAL : priority;
    }

    public static final String SCHEDULED = "TaskScheduled";
    public static final String CANCELLED = "TaskCancelled";
}
