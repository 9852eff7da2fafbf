package dev.taskscheduler.model;

import java.util.Objects;
import java.util.UUID;

/**
 * A task released by the scheduler on {@code tasks.ready.<pool>[.<priority>]}: it is due now.
 *
 * @param taskId    the task
 * @param type      the task type
 * @param attempt   the attempt the worker may claim; any other attempt is stale
 * @param runAt     due time in epoch milliseconds
 * @param releasedAt when the scheduler released it, in epoch milliseconds
 * @param priority  the task's priority, which named the ready topic
 */
public record ReadyTask(UUID taskId, String type, int attempt, long runAt, long releasedAt, TaskPriority priority) {

    public ReadyTask {
        Objects.requireNonNull(taskId, "a ready task needs taskId");
        Objects.requireNonNull(type, "a ready task needs type");
        priority = priority == null ? TaskPriority.NORMAL : priority;
    }
}
