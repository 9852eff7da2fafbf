package dev.taskscheduler.api.rest;

import dev.taskscheduler.api.schedule.ScheduleNotFoundException;
import dev.taskscheduler.api.submission.IdempotencyConflictException;
import dev.taskscheduler.model.submission.FieldViolation;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.databind.DatabindException;

/** Every client error as RFC 9457 problem details; invalid fields are listed by name. */
@RestControllerAdvice
class ProblemDetailsHandler extends ResponseEntityExceptionHandler {

    private static final String TYPE_BASE = "https://task-scheduler.dev/problems/";

    @ExceptionHandler(InvalidSubmissionException.class)
    ProblemDetail invalidSubmission(InvalidSubmissionException e) {
        return withErrors(problem(HttpStatus.BAD_REQUEST, "invalid-task", "Invalid task submission",
                e.getMessage()), e.violations());
    }

    @ExceptionHandler(IdempotencyConflictException.class)
    ProblemDetail idempotencyConflict(IdempotencyConflictException e) {
        ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused",
                "Idempotency key reused", e.getMessage());
        problem.setProperty("existingTaskId", e.existingTaskId());
        return problem;
    }

    @ExceptionHandler(TaskStateConflictException.class)
    ProblemDetail stateConflict(TaskStateConflictException e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "task-state-conflict", "Task is not in a state for this",
                e.getMessage());
        problem.setProperty("status", e.status());
        return problem;
    }

    @ExceptionHandler(ScheduleNotFoundException.class)
    ProblemDetail scheduleNotFound(ScheduleNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "schedule-not-found", "Schedule not found", e.getMessage());
    }

    @ExceptionHandler(TaskNotFoundException.class)
    ProblemDetail notFound(TaskNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "task-not-found", "Task not found", e.getMessage());
    }

    /** Malformed JSON, or a value of the wrong JSON type: name the field when Jackson knows it. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request body",
                "The request body is not a valid task submission");
        if (e.getCause() instanceof DatabindException databind && !databind.getPath().isEmpty()) {
            String field = databind.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .reduce((a, b) -> a + "." + b).orElse("body");
            withErrors(problem, List.of(new FieldViolation(field, "has the wrong JSON type")));
        }
        return ResponseEntity.badRequest().body(problem);
    }

    private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        return problem;
    }

    private static ProblemDetail withErrors(ProblemDetail problem, List<FieldViolation> violations) {
        problem.setProperty("errors", violations.stream()
                .map(v -> Map.of("field", v.field(), "message", v.message()))
                .toList());
        return problem;
    }
}
