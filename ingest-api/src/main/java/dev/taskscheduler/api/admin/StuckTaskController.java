package dev.taskscheduler.api.admin;

import dev.taskscheduler.api.openapi.ApiTags;
import dev.taskscheduler.api.openapi.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import dev.taskscheduler.api.IngestProperties;
import dev.taskscheduler.api.audit.AuditLog;
import dev.taskscheduler.api.security.Caller;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.store.TaskRepository;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The runbook's stuck-task procedure as an API: running tasks whose {@code updated_at} is older
 * than {@code olderThan} (default 30 minutes, at least {@code scheduler.ingest.stuck-reset-min-age})
 * go back to pending and run again. Workers rescue such tasks by themselves; this is for when an
 * operator wants it now. Each reset is audited in {@code audit_events} with the caller, in the
 * reset's transaction.
 */
@Tag(name = ApiTags.OPERATIONS)
@RestController
@RequestMapping("/api/v1/admin/stuck")
class StuckTaskController {

    private static final Logger log = LoggerFactory.getLogger(StuckTaskController.class);

    /** Ten years: anything older is certainly stuck, and larger values overflow. */
    private static final Duration MAX_AGE = Duration.ofDays(3650);

    private final TaskRepository tasks;
    private final AuditLog audit;
    private final TransactionTemplate transaction;
    private final Duration minAge;

    StuckTaskController(TaskRepository tasks, AuditLog audit, TransactionTemplate transaction,
            IngestProperties properties) {
        this.tasks = tasks;
        this.audit = audit;
        this.transaction = transaction;
        this.minAge = properties.stuckResetMinAge();
    }

    @Operation(operationId = "resetStuckTasks",
            summary = "Reset stuck running tasks to pending",
            description = "Running tasks not updated for `olderThan` (at least the configured minimum age) run again;"
                    + " audited.")
    @PostMapping("/reset")
    StuckTaskReset reset(@RequestParam(defaultValue = "PT30M") String olderThan,
            @AuthenticationPrincipal Caller caller) {
        Duration age = parse(olderThan);
        List<StoredTask> reset = transaction.execute(status -> {
            List<StoredTask> rows = tasks.resetStuck(age);
            audit.record(caller.name(), "stuck-tasks.reset", null, Map.of("olderThan", age.toString(),
                    "reset", rows.size(), "taskIds", rows.stream().map(StoredTask::id).toList()));
            return rows;
        });
        log.warn("Stuck-task reset by {} (older than {}): {} tasks", caller.name(), olderThan, reset.size());
        return new StuckTaskReset(reset.size(), reset.stream().map(StoredTask::id).toList());
    }

    private Duration parse(String text) {
        Duration age;
        try {
            age = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidSubmissionException("olderThan", "must be an ISO-8601 duration, e.g. PT30M");
        }
        if (age.compareTo(minAge) < 0 || age.compareTo(MAX_AGE) > 0) {
            throw new InvalidSubmissionException("olderThan", "must be between " + minAge + " and " + MAX_AGE
                    + ": younger running tasks may belong to live workers");
        }
        return age;
    }
}
