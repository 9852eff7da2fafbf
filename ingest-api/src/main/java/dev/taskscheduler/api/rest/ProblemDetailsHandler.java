package dev.taskscheduler.api.rest;

import dev.taskscheduler.api.limits.RequestBodyTooLargeException;
import dev.taskscheduler.api.schedule.ScheduleLimitException;
import dev.taskscheduler.api.schedule.ScheduleNotFoundException;
import dev.taskscheduler.api.security.ApiKeyNotFoundException;
import dev.taskscheduler.api.submission.TaskTypeNotAllowedException;
import dev.taskscheduler.api.submission.IdempotencyConflictException;
import dev.taskscheduler.api.submission.SubmissionsOverloadedException;
import dev.taskscheduler.model.submission.FieldViolation;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.DatabindException;

/** Every client error as RFC 9457 problem details; invalid fields are listed by name. */
@RestControllerAdvice
class ProblemDetailsHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsHandler.class);

    @ExceptionHandler(InvalidSubmissionException.class)
    ProblemDetail invalidSubmission(InvalidSubmissionException e) {
        return Problems.invalidSubmission(e);
    }

    @ExceptionHandler(IdempotencyConflictException.class)
    ProblemDetail idempotencyConflict(IdempotencyConflictException e) {
        return Problems.idempotencyConflict(e);
    }

    @ExceptionHandler(TaskStateConflictException.class)
    ProblemDetail stateConflict(TaskStateConflictException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.CONFLICT, "task-state-conflict", "Task is not in a state for this",
                e.getMessage());
        // Not "status": RFC 9457 gives that member the HTTP status.
        problem.setProperty("taskStatus", e.status());
        return problem;
    }

    @ExceptionHandler(ScheduleNotFoundException.class)
    ProblemDetail scheduleNotFound(ScheduleNotFoundException e) {
        return Problems.problem(HttpStatus.NOT_FOUND, "schedule-not-found", "Schedule not found", e.getMessage());
    }

    @ExceptionHandler(TaskTypeNotAllowedException.class)
    ProblemDetail taskTypeNotAllowed(TaskTypeNotAllowedException e) {
        return Problems.taskTypeNotAllowed(e);
    }

    @ExceptionHandler(ScheduleLimitException.class)
    ProblemDetail scheduleLimit(ScheduleLimitException e) {
        return Problems.problem(HttpStatus.CONFLICT, "schedule-limit-reached", "Too many schedules", e.getMessage());
    }

    @ExceptionHandler(ApiKeyNotFoundException.class)
    ProblemDetail apiKeyNotFound(ApiKeyNotFoundException e) {
        return Problems.problem(HttpStatus.NOT_FOUND, "api-key-not-found", "API key not found", e.getMessage());
    }

    @ExceptionHandler(TaskNotFoundException.class)
    ProblemDetail notFound(TaskNotFoundException e) {
        return Problems.problem(HttpStatus.NOT_FOUND, "task-not-found", "Task not found", e.getMessage());
    }

    /** Too many submissions wait to be stored: try again in a moment. */
    @ExceptionHandler(SubmissionsOverloadedException.class)
    ResponseEntity<ProblemDetail> overloaded(SubmissionsOverloadedException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                .body(Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", "Too many submissions at once",
                        e.getMessage()));
    }

    /** The database cannot be reached (or dropped the connection): nothing was stored; try again. */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class,
            CannotCreateTransactionException.class})
    ResponseEntity<ProblemDetail> databaseUnavailable(Exception e) {
        log.warn("Database unavailable: {}", e.toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                .body(Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable",
                        "Database unavailable", "The database could not be reached; try again shortly."));
    }

    /** The database refused a row that passed every rule of the API. */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ProblemDetail refusedByDatabase(DataIntegrityViolationException e) {
        log.warn("Database refused a request: {}", e.getMostSpecificCause().toString());
        return Problems.problem(HttpStatus.UNPROCESSABLE_CONTENT, "refused-by-database", "Refused by the database",
                e.getMostSpecificCause().getMessage());
    }

    /**
     * Anything no other handler knows is the server's fault: a problem without internals (the log
     * has them), in the same format as every other error.
     */
    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        log.error("Request failed unexpectedly", e);
        return Problems.problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "The request failed on the server's side; it has been logged.");
    }

    /** Malformed JSON, or a value of the wrong JSON type: name the field when Jackson knows it. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestBodyTooLargeException tooLarge) {
                return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(Problems.problem(
                        HttpStatus.CONTENT_TOO_LARGE, "request-too-large", "Request body too large",
                        tooLarge.getMessage()));
            }
            if (cause instanceof StreamConstraintsException limit) {
                return ResponseEntity.badRequest().body(Problems.problem(HttpStatus.BAD_REQUEST, "json-too-complex",
                        "JSON beyond limits", limit.getOriginalMessage()));
            }
        }
        ProblemDetail problem = Problems.problem(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request body",
                "The request body is not a valid task submission");
        if (e.getCause() instanceof DatabindException databind && !databind.getPath().isEmpty()) {
            String field = databind.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .reduce((a, b) -> a + "." + b).orElse("body");
            Problems.withErrors(problem, List.of(new FieldViolation(field, "has the wrong JSON type")));
        }
        return ResponseEntity.badRequest().body(problem);
    }
}
