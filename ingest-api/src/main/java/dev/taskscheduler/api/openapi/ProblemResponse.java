package dev.taskscheduler.api.openapi;

/**
 * The error answers of the API, each an RFC 9457 problem ({@code application/problem+json}); an
 * operation names the ones it can give with {@link ProblemResponses}. The document describes each
 * once, under {@code components/responses}.
 */
public enum ProblemResponse {
    BAD_REQUEST(400, "BadRequest", "The request is malformed or breaks a rule; `errors` names each invalid field."),
    UNAUTHORIZED(401, "Unauthorized", "No valid API key or access token was sent."),
    FORBIDDEN(403, "Forbidden", "The credentials lack the scope this operation needs, or the task type is out of"
            + " their reach."),
    NOT_FOUND(404, "NotFound", "Nothing with this id exists, or it belongs to a task type out of the caller's reach."),
    CONFLICT(409, "Conflict", "The resource is not in a state that allows this."),
    CONTENT_TOO_LARGE(413, "ContentTooLarge", "The request body is larger than the API accepts (2 MB by default)."),
    UNSUPPORTED_MEDIA_TYPE(415, "UnsupportedMediaType", "The request body is not `application/json`."),
    UNPROCESSABLE_CONTENT(422, "UnprocessableContent", "The idempotency key was used before for a different request"
            + " (`existingTaskId` names its task when the caller reaches it), or the database refused the data."),
    INTERNAL_ERROR(500, "InternalError", "The request failed on the server's side; the server logged why."),
    SERVICE_UNAVAILABLE(503, "ServiceUnavailable", "Too many submissions wait to be stored, or the database cannot"
            + " be reached: nothing was stored. Retry after `Retry-After` seconds (with the same `Idempotency-Key`).");

    private final int status;
    private final String component;
    private final String description;

    ProblemResponse(int status, String component, String description) {
        this.status = status;
        this.component = component;
        this.description = description;
    }

    public String statusCode() {
        return Integer.toString(status);
    }

    /** Its name under {@code components/responses}. */
    public String component() {
        return component;
    }

    public String description() {
        return description;
    }
}
