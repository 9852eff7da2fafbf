package dev.taskscheduler.api.rest;

import dev.taskscheduler.model.submission.InvalidSubmissionException;
import java.time.Instant;

/**
 * Bounds for date-times a client passes as filters: ISO-8601 reads years up to ±999,999,999, far
 * beyond what a database timestamp holds, so anything outside years 1 to 9999 is a client error.
 */
public final class InstantParameters {

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private InstantParameters() {
    }

    /** Returns {@code value} (null stays null), or throws a 400 naming {@code field}. */
    public static Instant checked(String field, Instant value) {
        if (value != null && (value.isBefore(EARLIEST) || value.isAfter(LATEST))) {
            throw new InvalidSubmissionException(field, "must be between " + EARLIEST + " and " + LATEST);
        }
        return value;
    }
}
