package dev.taskscheduler.api.schedule;

import dev.taskscheduler.model.CronSchedule;
import dev.taskscheduler.model.submission.FieldViolation;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import dev.taskscheduler.model.submission.SubmissionValidator;
import dev.taskscheduler.model.submission.TaskSubmission;
import dev.taskscheduler.model.submission.ValidSubmission;
import dev.taskscheduler.store.StoredSchedule;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Checks a schedule request; the task template follows the same rules as a submission. */
@Component
class ScheduleValidator {

    private static final Set<String> MISFIRE_POLICIES = Set.of("skip", "run_once");

    private final SubmissionValidator submissions;

    ScheduleValidator(SubmissionValidator submissions) {
        this.submissions = submissions;
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
            CronSchedule.parse(request.cron(), "UTC");
        } catch (IllegalArgumentException e) {
            violations.add(new FieldViolation("cron",
                    "must be a cron expression of 5 fields (or 6 with seconds first), e.g. '*/5 * * * *'"));
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
}
