package dev.taskscheduler.model.submission;

import tools.jackson.databind.JsonNode;

/**
 * A request to run a task, as it arrives over REST ({@code POST /api/v1/tasks}) or as a JSON record
 * on {@code tasks.submissions}. Times are kept as text so that a malformed value is reported with
 * its field name instead of as a parse failure of the whole document.
 *
 * @param type           task type; selects the handler and the worker pool
 * @param payload        JSON object handed to the handler (optional, defaults to {@code {}})
 * @param runAt          ISO-8601 instant with offset, e.g. {@code 2026-01-01T10:00:00Z} (optional)
 * @param delay          ISO-8601 duration from now, e.g. {@code PT30S} (optional, not with runAt)
 * @param maxRetries     retries after the first attempt (optional)
 * @param timeout        ISO-8601 duration one attempt may run (optional)
 * @param retry          backoff between attempts (optional)
 * @param idempotencyKey client key that makes resubmission safe (optional; REST takes the header)
 * @param priority       {@code high}, {@code normal} or {@code low} (optional, defaults to normal)
 */
public record TaskSubmission(
        String type,
        JsonNode payload,
        String runAt,
        String delay,
        Integer maxRetries,
        String timeout,
        RetryRequest retry,
        String idempotencyKey,
        String priority) {

    public TaskSubmission withIdempotencyKey(String key) {
        return new TaskSubmission(type, payload, runAt, delay, maxRetries, timeout, retry, key, priority);
    }
}
