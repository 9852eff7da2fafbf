package dev.taskscheduler.api.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Times as pages write them: UTC, which the browser's script rewrites into the reader's own zone and
 * keeps in the element's title (shown on hover).
 */
public final class Times {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** {@code 2026-01-01 10:00:00 UTC}; empty for null. */
    public String utc(Instant at) {
        return at == null ? "" : UTC.format(at);
    }

    /** The machine-readable form for {@code <time datetime>}. */
    public String iso(Instant at) {
        return at == null ? "" : at.toString();
    }
}
