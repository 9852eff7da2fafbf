package dev.taskscheduler.api.console.schedules;

import dev.taskscheduler.api.schedule.ScheduleRequest;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import dev.taskscheduler.store.StoredSchedule;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A schedule as the console's form sends it: every field text, the payload JSON typed by hand.
 *
 * @param maxRetries blank for the task type's default
 */
public record ScheduleForm(String name, String cron, String timeZone, String taskType, String payload,
        String priority, String maxRetries, String misfirePolicy) {

    /** An empty form for a new schedule. */
    static ScheduleForm blank() {
        return new ScheduleForm("", "*/5 * * * *", "UTC", "", "{}", "normal", "", "skip");
    }

    static ScheduleForm of(StoredSchedule schedule) {
        return new ScheduleForm(schedule.name(), schedule.cron(), schedule.timeZone(), schedule.taskType(),
                schedule.taskPayloadJson(), schedule.taskPriority(),
                schedule.maxRetries() == null ? "" : schedule.maxRetries().toString(), schedule.misfirePolicy());
    }

    /** The request the API would get; the payload and retries must parse, the rest the API's rules check. */
    ScheduleRequest request() {
        JsonNode json;
        try {
            json = payload == null || payload.isBlank() ? null : Json.mapper().readTree(payload);
        } catch (JacksonException e) {
            throw new InvalidSubmissionException("task.payload", "is not valid JSON");
        }
        Integer retries;
        try {
            retries = maxRetries == null || maxRetries.isBlank() ? null : Integer.valueOf(maxRetries.strip());
        } catch (NumberFormatException e) {
            throw new InvalidSubmissionException("task.maxRetries", "must be a whole number");
        }
        return new ScheduleRequest(name, cron, blankToNull(timeZone),
                new ScheduleRequest.TaskTemplate(blankToNull(taskType), json, retries, blankToNull(priority)),
                blankToNull(misfirePolicy));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
