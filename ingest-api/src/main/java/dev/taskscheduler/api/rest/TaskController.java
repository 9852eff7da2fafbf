package dev.taskscheduler.api.rest;

import static dev.taskscheduler.api.openapi.ProblemResponse.CONFLICT;
import static dev.taskscheduler.api.openapi.ProblemResponse.NOT_FOUND;
import static dev.taskscheduler.api.openapi.ProblemResponse.SERVICE_UNAVAILABLE;
import static dev.taskscheduler.api.openapi.ProblemResponse.UNPROCESSABLE_CONTENT;

import dev.taskscheduler.api.openapi.ApiTags;
import dev.taskscheduler.api.openapi.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import dev.taskscheduler.api.security.Caller;
import dev.taskscheduler.api.submission.IdempotencyConflictException;
import dev.taskscheduler.api.submission.SubmissionResult;
import dev.taskscheduler.api.submission.TaskTypeNotAllowedException;
import dev.taskscheduler.api.submission.TaskQueryService;
import dev.taskscheduler.api.submission.TaskSubmissionService;
import dev.taskscheduler.model.submission.TaskSubmission;
import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.store.TaskListFilter;
import dev.taskscheduler.store.TaskRepository;
import java.time.Instant;
import java.util.List;
import org.springframework.format.annotation.DateTimeFormat;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@Tag(name = ApiTags.TASKS)
@RestController
@RequestMapping("/api/v1/tasks")
class TaskController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    private static final int MAX_PAGE = 1000;

    private final TaskSubmissionService submissions;
    private final TaskQueryService queries;
    private final TaskRepository tasks;
    private final TaskActions actions;

    TaskController(TaskSubmissionService submissions, TaskQueryService queries, TaskRepository tasks,
            TaskActions actions) {
        this.submissions = submissions;
        this.queries = queries;
        this.tasks = tasks;
        this.actions = actions;
    }

    /**
     * Accepts a task. 202 means the task is stored durably; with an {@code Idempotency-Key} that
     * was seen before for the same request the first task is returned again.
     */
    @ProblemResponses({UNPROCESSABLE_CONTENT, SERVICE_UNAVAILABLE})
    @Operation(operationId = "submitTask", summary = "Submit a task",
            description = "202 means the task and its outbox event are committed. With an `Idempotency-Key` seen"
                    + " before for the same request, the first task is answered again (`Idempotent-Replayed: true`).",
            responses = @ApiResponse(responseCode = "202", description = "The task is stored durably.", headers = {
                    @Header(name = "Location", description = "The task's URL.",
                            schema = @Schema(type = "string", format = "uri")),
                    @Header(name = "Idempotent-Replayed", description = "true when an earlier, identical submission"
                            + " with this idempotency key is answered again.", schema = @Schema(type = "boolean"))}))
    @PostMapping
    ResponseEntity<TaskResponse> submit(@RequestBody TaskSubmission body,
            @Parameter(description = "Makes a resubmission safe: the same key with the same request answers the"
                    + " first task again, with a different request 422. 1 to 200 characters, no control characters.",
                    example = "order-42-invoice")
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @AuthenticationPrincipal Caller caller) {
        if (body != null && body.type() != null && !caller.reaches(body.type())) {
            throw new TaskTypeNotAllowedException(body.type());
        }
        TaskSubmission submission = idempotencyKey == null ? body : body.withIdempotencyKey(idempotencyKey);
        SubmissionResult result;
        try {
            result = submissions.submit(submission);
        } catch (IdempotencyConflictException e) {
            throw e.seenBy(caller::reaches);
        }
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri()
                .path("/{id}").buildAndExpand(result.task().id()).toUri();
        return ResponseEntity.accepted()
                .location(location)
                .header(IDEMPOTENT_REPLAYED, Boolean.toString(!result.created()))
                .body(TaskResponse.of(result.task()));
    }

    /**
     * Lists tasks, newest first; {@code before} pages back (pass the last {@code createdAt} seen).
     * {@code idempotencyKey} finds the task a keyed submission created (a record on the submission
     * topic is keyed by it), whose id the submitter was not told.
     */
    @Operation(operationId = "listTasks",
            summary = "List tasks, newest first",
            description = "Page back with `before`, the `createdAt` of the last task seen. "
                    + "`idempotencyKey` finds the one task submitted with that key, if any.")
    @GetMapping
    List<TaskResponse> list(@Parameter(schema = @Schema(allowableValues = {"pending", "running", "succeeded",
                    "dead_letter", "cancelled"})) @RequestParam(required = false) String status,
            @RequestParam(required = false) String type,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant before,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) String idempotencyKey, @AuthenticationPrincipal Caller caller) {
        TaskStatus wanted;
        try {
            wanted = status == null ? null : TaskStatus.fromDbValue(status);
        } catch (IllegalArgumentException e) {
            throw new InvalidSubmissionException("status", "must be one of pending, running, succeeded, "
                    + "dead_letter, cancelled");
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidSubmissionException("limit", "must be between 1 and " + MAX_PAGE);
        }
        if (type != null && !caller.reaches(type)) {
            return List.of();
        }
        TaskListFilter filter = new TaskListFilter(wanted, type, null, null, null, null,
                InstantParameters.checked("before", before), null, idempotencyKey, caller.taskTypes());
        return tasks.page(filter, null, limit).stream().map(TaskResponse::of).toList();
    }

    /** Cancels a pending task: it will not run. A task already running or finished answers 409. */
    @ProblemResponses({NOT_FOUND, CONFLICT})
    @Operation(operationId = "cancelTask",
            summary = "Cancel a pending task",
            description = "A task that runs or ended answers 409.")
    @PostMapping("/{id}/cancel")
    TaskResponse cancel(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        return TaskResponse.of(actions.cancel(id, caller));
    }

    /** Moves a pending task to a new due time ({@code runAt} or {@code delay}); 409 once it runs or ended. */
    @ProblemResponses({NOT_FOUND, CONFLICT})
    @Operation(operationId = "rescheduleTask",
            summary = "Move a pending task to a new due time",
            description = "Give `runAt` or `delay`; a task that runs or ended answers 409.")
    @PostMapping("/{id}/reschedule")
    TaskResponse reschedule(@PathVariable UUID id, @RequestBody RescheduleRequest request,
            @AuthenticationPrincipal Caller caller) {
        return TaskResponse.of(actions.reschedule(id, request.runAt(), request.delay(), caller));
    }

    /** @param runAt ISO-8601 date-time with offset; or {@code delay}, an ISO-8601 duration from now */
    record RescheduleRequest(String runAt, String delay) {
    }

    /**
     * Reads a task. The task itself comes from the Redis cache when it has it; its attempt history
     * always comes from PostgreSQL, so pollers that only need the status pass {@code attempts=false}.
     */
    @ProblemResponses({NOT_FOUND})
    @Operation(operationId = "getTask", summary = "Read a task and its attempts")
    @GetMapping("/{id}")
    TaskResponse get(@PathVariable UUID id, @RequestParam(defaultValue = "true") boolean attempts,
            @AuthenticationPrincipal Caller caller) {
        StoredTask task = actions.find(id, caller);
        return TaskResponse.of(task, attempts ? queries.attempts(id) : null);
    }
}
