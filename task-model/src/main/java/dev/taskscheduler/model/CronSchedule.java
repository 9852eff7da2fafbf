package dev.taskscheduler.model;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.springframework.scheduling.support.CronExpression;

/**
 * A cron expression read in a time zone. Standard 5-field expressions are accepted as well as
 * 6-field ones with seconds first. Parsing is Spring's {@link CronExpression}. The api-server
 * validates schedules with it and the scheduler fires them with it, so both read an expression
 * the same way.
 */
public final class CronSchedule {

    private final CronExpression expression;
    private final ZoneId zone;

    private CronSchedule(CronExpression expression, ZoneId zone) {
        this.expression = expression;
        this.zone = zone;
    }

    /** @throws IllegalArgumentException for an invalid expression or zone, with the reason */
    public static CronSchedule parse(String cron, String timeZone) {
        if (cron == null || cron.isBlank()) {
            throw new IllegalArgumentException("cron expression is required");
        }
        String normalized = cron.trim().split("\\s+").length == 5 ? "0 " + cron.trim() : cron.trim();
        ZoneId zone;
        try {
            zone = ZoneId.of(timeZone == null ? "UTC" : timeZone);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + timeZone + "'", e);
        }
        return new CronSchedule(CronExpression.parse(normalized), zone);
    }

    /** The first firing strictly after {@code after}, or null if there is none. */
    public Instant nextAfter(Instant after) {
        ZonedDateTime next = expression.next(after.atZone(zone));
        return next == null ? null : next.toInstant();
    }
}
