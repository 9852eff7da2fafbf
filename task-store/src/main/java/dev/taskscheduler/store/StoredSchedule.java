package dev.taskscheduler.store;

import java.time.Instant;
import java.util.UUID;

/** One row of the {@code schedules} table. */
public record StoredSchedule(
        UUID id,
        String name,
        String cron,
        String timeZone,
        String taskType,
        String taskPayloadJson,
        String taskPriority,
        Integer maxRetries,
        String misfirePolicy,
        boolean paused,
        Instant createdAt,
        Instant updatedAt) {
}
