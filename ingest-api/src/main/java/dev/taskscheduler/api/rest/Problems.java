package dev.taskscheduler.api.rest;

import dev.taskscheduler.api.submission.IdempotencyConflictException;
import dev.taskscheduler.api.submission.TaskTypeNotAllowedException;
import dev.taskscheduler.model.submission.FieldViolation;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The API's RFC 9457 problem details, built in one place so that a rejected task of a batch reads
 * exactly like the answer of the single-task endpoint.
 */
public final class Problems {

    private static final String TYPE_BASE = "https://task-scheduler.dev/problems/";

    private Problems() {
    }

    public static ProblemDetail invalidSubmission(InvalidSubmissionException e) {
        return withErrors(problem(HttpStatus.BAD_REQUEST, "invalid-task", "Invalid task submission",
                e.getMessage()), e.violations());
    }

    public static ProblemDetail idempotencyConflict(IdempotencyConflictException e) {
        ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused",
                "Idempotency key reused", e.getMessage());
        if (e.existingTaskId() != null) {
            problem.setProperty("existingTaskId", e.existingTaskId());
        }
        return problem;
    }

    public static ProblemDetail taskTypeNotAllowed(TaskTypeNotAllowedException e) {
        return problem(HttpStatus.FORBIDDEN, "task-type-not-allowed", "Task type not allowed", e.getMessage());
    }

    public static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        return problem;
    }

    public static ProblemDetail withErrors(ProblemDetail problem, List<FieldViolation> violations) {
        problem.setProperty("errors", violations.stream()
                .map(v -> Map.of("field", v.field(), "message", v.message()))
                .toList());
        return problem;
    }
}
