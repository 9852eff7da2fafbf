package dev.taskscheduler.api.schedule;

import dev.taskscheduler.model.CronSchedule;
import dev.taskscheduler.model.submission.FieldViolation;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import dev.taskscheduler.model.submission.SubmissionValidator;
import dev.taskscheduler.model.submission.TaskSubmission;
import dev.taskscheduler.model.submission.ValidSubmission;
import dev.taskscheduler.store.StoredSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Checks a schedule request; the task template follows the same rules as a submission. */
@Component
class ScheduleValidator {

    private static final String CRON_FORMAT =
            "must be a cron expression of 5 fields (or 6 with seconds first), e.g. '*/5 * * * *'";
    private static final Set<String> MISFIRE_POLICIES = Set.of("skip", "run_once");

    /** Firings compared to find the shortest gap: enough to cover a day of a seconds-level expression's pattern. */
    private static final int FIRINGS_CHECKED = 200;

    private final SubmissionValidator submissions;
    private final Duration minInterval;

    ScheduleValidator(SubmissionValidator submissions, ScheduleProperties properties) {
        this.submissions = submissions;
        this.minInterval = properties.minInterval();
    }

    /** Reads an expression in a zone, or throws naming the field that is wrong. */
    CronSchedule parse(String cron, String timeZone) {
        try {
            ZoneId.of(timeZone == null ? "UTC" : timeZone);
        } catch (RuntimeException e) {
            throw new InvalidSubmissionException("timeZone", "is not a known time zone, e.g. Europe/Paris");
        }
        try {
            return CronSchedule.parse(cron, timeZone);
        } catch (IllegalArgumentException e) {
            throw new InvalidSubmissionException("cron", CRON_FORMAT);
        }
    }

    StoredSchedule validate(UUID id, ScheduleRequest request) {
        List<FieldViolation> violations = new ArrayList<>();
        if (request.name() == null || request.name().isBlank() || request.name().length() > 200) {
            violations.add(new FieldViolation("name", "must be 1 to 200 characters"));
        }
        String zone = request.timeZone() == null ? "UTC" : request.timeZone();
        try {
            ZoneId.of(zone);
        } catch (RuntimeException e) {
            violations.add(new FieldViolation("timeZone", "is not a known time zone, e.g. Europe/Paris"));
        }
        try {
            Duration shortest = shortestGap(CronSchedule.parse(request.cron(), "UTC"));
            if (shortest.compareTo(minInterval) < 0) {
                violations.add(new FieldViolation("cron", "fires " + shortest.toSeconds()
                        + " s apart; schedules must leave at least " + minInterval.toSeconds()
                        + " s between firings (scheduler.ingest.schedules.min-interval)"));
            }
        } catch (IllegalArgumentException e) {
            violations.add(new FieldViolation("cron", CRON_FORMAT));
        }
        String misfire = request.misfirePolicy() == null ? "skip" : request.misfirePolicy();
        if (!MISFIRE_POLICIES.contains(misfire)) {
            violations.add(new FieldViolation("misfirePolicy", "must be skip or run_once"));
        }
        ValidSubmission task = null;
        if (request.task() == null) {
            violations.add(new FieldViolation("task", "is required"));
        } else {
            try {
                task = submissions.validate(new TaskSubmission(request.task().type(), request.task().payload(), null,
                        null, request.task().maxRetries(), null, null, null, request.task().priority()));
            } catch (InvalidSubmissionException e) {
                e.violations().forEach(v -> violations.add(new FieldViolation("task." + v.field(), v.message())));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidSubmissionException(violations);
        }
        return new StoredSchedule(id, request.name(), request.cron().trim(), zone, task.type(), task.payloadJson(),
                task.priority().value(), request.task().maxRetries(), misfire, false, null, null);
    }

    /**
     * The shortest time between consecutive firings among the next {@link #FIRINGS_CHECKED}. Within
     * any day an expression fires on, its seconds, minutes and hours repeat, so the densest run of
     * firings shows up among the first ones (an expression that never fires has no gap).
     */
    static Duration shortestGap(CronSchedule schedule) {
        Instant previous = schedule.nextAfter(Instant.now());
        Duration shortest = ChronoUnit.FOREVER.getDuration();
        for (int i = 0; i < FIRINGS_CHECKED && previous != null; i++) {
            Instant next = schedule.nextAfter(previous);
            if (next == null) {
                break;
            }
            Duration gap = Duration.between(previous, next);
            if (gap.compareTo(shortest) < 0) {
                shortest = gap;
            }
            previous = next;
        }
        return shortest;
    }
}
