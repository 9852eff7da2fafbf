package dev.taskscheduler.api.submission;

/** Too many submissions wait to be stored: the client should retry shortly (HTTP 503). */
public class SubmissionsOverloadedException extends RuntimeException {

    public SubmissionsOverloadedException(String message) {
        super(message);
    }
}
