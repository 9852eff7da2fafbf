package dev.taskscheduler.api.limits;

import java.io.IOException;

/** The request body is larger than {@code scheduler.ingest.limits.max-request-size}. */
public class RequestBodyTooLargeException extends IOException {

    public RequestBodyTooLargeException(long limit) {
        super("The request body is larger than " + limit + " bytes (scheduler.ingest.limits.max-request-size)");
    }
}
