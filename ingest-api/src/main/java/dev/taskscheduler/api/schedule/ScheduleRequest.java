package dev.taskscheduler.api.schedule;

import tools.jackson.databind.JsonNode;

/**
 * A recurring schedule as clients write it.
 *
 * @param name          unique, for people
 * @param cron          5 fields ({@code *\/5 * * * *}) or 6 with seconds first
 * @param timeZone      IANA zone the expression is read in (default UTC)
 * @param task          the task each firing submits
 * @param misfirePolicy {@code skip} (default) or {@code run_once}: what happens to firings missed
 *                      while the scheduler was down
 */
public record ScheduleRequest(String name, String cron, String timeZone, TaskTemplate task, String misfirePolicy) {

    /** The task each firing creates; {@code priority} is high, normal (default) or low. */
    public record TaskTemplate(String type, JsonNode payload, Integer maxRetries, String priority) {
    }
}
