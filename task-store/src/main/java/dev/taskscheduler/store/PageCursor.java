package dev.taskscheduler.store;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a page of a listing ends: the sort time and id of its last row. The next page starts
 * strictly after both, so rows that share a time are neither skipped nor repeated.
 *
 * @param at the row's sort time ({@code created_at} of tasks, {@code finished_at} of dead letters)
 * @param id the row's id, which orders rows with the same time
 */
public record PageCursor(Instant at, UUID id) {

    private static final char SEPARATOR = '_';
    /** An ISO instant and a UUID are far shorter; anything longer is not a cursor. */
    private static final int MAX_LENGTH = 100;

    /** The cursor as a query parameter: {@code 2026-01-01T10:00:00.123456Z_<uuid>}. */
    public String token() {
        return at + String.valueOf(SEPARATOR) + id;
    }

    /** Reads a cursor from {@link #token()}; empty for anything else. */
    public static Optional<PageCursor> parse(String token) {
        if (token == null || token.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        int separator = token.lastIndexOf(SEPARATOR);
        if (separator < 1) {
            return Optional.empty();
        }
        try {
            UUID id = UUID.fromString(token.substring(separator + 1));
            if (!id.toString().equals(token.substring(separator + 1))) {
                return Optional.empty();
            }
            return Optional.of(new PageCursor(Instant.parse(token.substring(0, separator)), id));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
