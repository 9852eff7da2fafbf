package dev.taskscheduler.model;

import java.util.Objects;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A change of a recurring schedule on {@code schedules.events} (written by the table's trigger).
 * For {@code ScheduleDeleted} only {@code scheduleId} and {@code version} are set.
 *
 * @param cron          cron expression (5 fields, or 6 with seconds first)
 * @param timeZone      zone the expression is read in, e.g. {@code Europe/Paris}
 * @param taskPriority  priority of the tasks it fires ({@code high}, {@code normal}, {@code low}; absent means normal)
 * @param misfirePolicy {@code skip} (firings missed during an outage are dropped) or
 *                      {@code run_once} (one firing makes up for all missed ones)
 */
public record ScheduleEvent(
        UUID scheduleId,
        String cron,
        String timeZone,
        String taskType,
        JsonNode taskPayload,
        String taskPriority,
        Integer maxRetries,
        String misfirePolicy,
        boolean paused,
        long version) {

    public ScheduleEvent {
        Objects.requireNonNull(scheduleId, "a schedule event needs scheduleId");
    }

    public static final String UPSERTED = "ScheduleUpserted";
    public static final String DELETED = "ScheduleDeleted";
}
