package dev.taskscheduler.api.batch;

import static dev.taskscheduler.api.openapi.ProblemResponse.SERVICE_UNAVAILABLE;

import dev.taskscheduler.api.openapi.ApiTags;
import dev.taskscheduler.api.openapi.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import dev.taskscheduler.api.rest.Problems;
import dev.taskscheduler.api.submission.BatchItemOutcome;
import dev.taskscheduler.api.submission.IdempotencyConflictException;
import dev.taskscheduler.api.submission.TaskSubmissionService;
import dev.taskscheduler.api.submission.TaskTypeNotAllowedException;
import dev.taskscheduler.api.security.Caller;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/tasks/batch}: up to {@code scheduler.ingest.batch.max-size} tasks in one
 * request and one transaction. The answer is {@code 200} with a result per task (its own 202, 400
 * or 422 and problem details), so a client retries only the rejected ones; a batch that is empty,
 * too large or malformed is refused whole with {@code 400}.
 */
@Tag(name = ApiTags.TASKS)
@RestController
class BatchController {

    private final TaskSubmissionService submissions;
    private final BatchProperties properties;

    BatchController(TaskSubmissionService submissions, BatchProperties properties) {
        this.submissions = submissions;
        this.properties = properties;
    }

    @ProblemResponses({SERVICE_UNAVAILABLE})
    @Operation(operationId = "submitTaskBatch",
            summary = "Submit up to 500 tasks in one transaction",
            description = "Answers 200 with a result per task in request order (202, or 400/403/422 with its"
                    + " problem); an empty or oversized batch is refused whole with 400.")
    @PostMapping("/api/v1/tasks/batch")
    BatchResponse submit(@RequestBody BatchRequest request, @AuthenticationPrincipal Caller caller) {
        if (request.tasks() == null || request.tasks().isEmpty()) {
            throw new InvalidSubmissionException("tasks", "must hold at least one task");
        }
        if (request.tasks().size() > properties.maxSize()) {
            throw new InvalidSubmissionException("tasks", "must hold at most " + properties.maxSize() + " tasks");
        }
        List<BatchItemOutcome> outcomes = submissions.submitAll(request.tasks(), caller::reaches);
        List<BatchItemResult> results = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            results.add(result(i, outcomes.get(i), caller));
        }
        return BatchResponse.of(results);
    }

    private static BatchItemResult result(int index, BatchItemOutcome outcome, Caller caller) {
        if (outcome.result() != null) {
            return BatchItemResult.accepted(index, outcome.result().task().id(), !outcome.result().created());
        }
        return BatchItemResult.rejected(index, problem(outcome.rejection(), caller));
    }

    private static ProblemDetail problem(RuntimeException rejection, Caller caller) {
        if (rejection instanceof InvalidSubmissionException invalid) {
            return Problems.invalidSubmission(invalid);
        }
        if (rejection instanceof IdempotencyConflictException conflict) {
            return Problems.idempotencyConflict(conflict.seenBy(caller::reaches));
        }
        if (rejection instanceof TaskTypeNotAllowedException notAllowed) {
            return Problems.taskTypeNotAllowed(notAllowed);
        }
        throw rejection;
    }
}
