package dev.taskscheduler.model.submission;

/** One rejected field of a submission, with a message a client can act on. */
public record FieldViolation(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
