package dev.taskscheduler.api.schedule;

import dev.taskscheduler.model.CronSchedule;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.store.StoredSchedule;
import java.time.Instant;
import java.util.UUID;

/** A schedule as the API shows it; {@code nextFireAt} is computed from the expression (null while paused). */
public record ScheduleResponse(
        UUID id,
        String name,
        String cron,
        String timeZone,
        ScheduleRequest.TaskTemplate task,
        String misfirePolicy,
        boolean paused,
        Instant nextFireAt,
        Instant createdAt,
        Instant updatedAt) {

    static ScheduleResponse of(StoredSchedule schedule) {
        Instant next = schedule.paused() ? null
                : CronSchedule.parse(schedule.cron(), schedule.timeZone()).nextAfter(Instant.now());
        return new ScheduleResponse(schedule.id(), schedule.name(), schedule.cron(), schedule.timeZone(),
                new ScheduleRequest.TaskTemplate(schedule.taskType(), Json.mapper().readTree(schedule.taskPayloadJson()),
                        schedule.maxRetries(), schedule.taskPriority()),
                schedule.misfirePolicy(), schedule.paused(), next, schedule.createdAt(), schedule.updatedAt());
    }
}
