package dev.taskscheduler.api.admin;

import dev.taskscheduler.api.openapi.ApiTags;
import dev.taskscheduler.api.openapi.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import dev.taskscheduler.api.rest.InstantParameters;
import dev.taskscheduler.api.rest.TaskResponse;
import dev.taskscheduler.api.security.Caller;
import dev.taskscheduler.store.DeadLetterFilter;
import java.time.Instant;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import java.util.List;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dead-letter queue for operators: list and replay. A caller restricted to some task types
 * sees and replays dead letters of those types only; audit rows name the authenticated caller.
 */
@Tag(name = ApiTags.DEAD_LETTERS)
@RestController
@RequestMapping("/api/v1/admin/dlq")
class DeadLetterController {

    /** Most dead letters one listing returns. */
    static final int MAX_LIST = 1000;

    private final DeadLetterReplayService replays;
    private final DeadLetterTopicReplayer topicReplayer;

    DeadLetterController(DeadLetterReplayService replays, DeadLetterTopicReplayer topicReplayer) {
        this.replays = replays;
        this.topicReplayer = topicReplayer;
    }

    @Operation(operationId = "listDeadLetters",
            summary = "List dead-lettered tasks",
            description = "At most 1,000, filtered by type, error text and time.")
    @GetMapping
    List<TaskResponse> list(@RequestParam(required = false) String type,
            @RequestParam(required = false) String errorContains,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant after,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant before,
            @RequestParam(defaultValue = "50") int limit, @AuthenticationPrincipal Caller caller) {
        if (limit < 1 || limit > MAX_LIST) {
            throw new InvalidSubmissionException("limit", "must be between 1 and " + MAX_LIST);
        }
        DeadLetterFilter filter = new DeadLetterFilter(List.of(), type, errorContains,
                InstantParameters.checked("after", after), InstantParameters.checked("before", before), limit,
                caller.taskTypes());
        return replays.list(filter).stream().map(TaskResponse::of).toList();
    }

    /**
     * Replays dead letters from the {@code tasks.dlq} topic whose task rows are gone, as new tasks.
     *
     * @param request {@code taskIds} (optional), {@code limit} (default 100), {@code dryRun}
     */
    @Operation(operationId = "replayDeadLettersFromTopic",
            summary = "Replay dead letters of the tasks.dlq topic whose task rows are gone",
            description = "Each becomes a new task, once.")
    @PostMapping("/replay-from-topic")
    TopicReplayResult replayFromTopic(@RequestBody ReplayRequest request, @AuthenticationPrincipal Caller caller) {
        int limit = request.limit() == null ? DeadLetterReplayService.DEFAULT_LIMIT : request.limit();
        if (limit < 1 || limit > DeadLetterReplayService.MAX_LIMIT) {
            throw new InvalidSubmissionException("limit", "must be between 1 and " + DeadLetterReplayService.MAX_LIMIT);
        }
        DeadLetterReplayService.checkTaskIds(request.taskIds());
        return topicReplayer.replay(request.taskIds(), limit, request.isDryRun(), caller);
    }

    @Operation(operationId = "replayDeadLetters",
            summary = "Replay dead-lettered tasks",
            description = "By ids or by filter (at least one criterion), paced, audited; `dryRun` only counts.")
    @PostMapping("/replay")
    ReplayResult replay(@RequestBody ReplayRequest request, @AuthenticationPrincipal Caller caller) {
        return replays.replay(request, caller);
    }
}
