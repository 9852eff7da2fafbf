package dev.taskscheduler.api.rest;

import dev.taskscheduler.api.submission.SubmissionResult;
import dev.taskscheduler.api.submission.TaskQueryService;
import dev.taskscheduler.api.submission.TaskSubmissionService;
import dev.taskscheduler.model.submission.TaskSubmission;
import dev.taskscheduler.store.StoredTask;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@RestController
@RequestMapping("/api/v1/tasks")
class TaskController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    private final TaskSubmissionService submissions;
    private final TaskQueryService queries;

    TaskController(TaskSubmissionService submissions, TaskQueryService queries) {
        this.submissions = submissions;
        this.queries = queries;
    }

    /**
     * Accepts a task. 202 means the task is stored durably; with an {@code Idempotency-Key} that
     * was seen before for the same request the first task is returned again.
     */
    @PostMapping
    ResponseEntity<TaskResponse> submit(@RequestBody TaskSubmission body,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey) {
        TaskSubmission submission = idempotencyKey == null ? body : body.withIdempotencyKey(idempotencyKey);
        SubmissionResult result = submissions.submit(submission);
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri()
                .path("/{id}").buildAndExpand(result.task().id()).toUri();
        return ResponseEntity.accepted()
                .location(location)
                .header(IDEMPOTENT_REPLAYED, Boolean.toString(!result.created()))
                .body(TaskResponse.of(result.task()));
    }

    /**
     * Reads a task. The task itself comes from the Redis cache when it has it; its attempt history
     * always comes from PostgreSQL, so pollers that only need the status pass {@code attempts=false}.
     */
    @GetMapping("/{id}")
    TaskResponse get(@PathVariable UUID id, @RequestParam(defaultValue = "true") boolean attempts) {
        StoredTask task = queries.find(id).orElseThrow(() -> new TaskNotFoundException(id));
        return TaskResponse.of(task, attempts ? queries.attempts(id) : null);
    }
}
