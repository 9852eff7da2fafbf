package dev.taskscheduler.api.schedule;

import static dev.taskscheduler.api.openapi.ProblemResponse.CONFLICT;
import static dev.taskscheduler.api.openapi.ProblemResponse.NOT_FOUND;
import static dev.taskscheduler.api.openapi.ProblemResponse.SERVICE_UNAVAILABLE;

import dev.taskscheduler.api.openapi.ApiTags;
import dev.taskscheduler.api.openapi.ProblemResponses;
import dev.taskscheduler.api.rest.TaskResponse;
import dev.taskscheduler.api.security.Caller;
import dev.taskscheduler.api.submission.SubmissionResult;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Recurring schedules over REST (see {@link ScheduleService}). Every change is stored in
 * PostgreSQL and reaches the scheduler through the outbox; each firing becomes a normal task. A
 * caller restricted to some task types sees and changes only the schedules of those types (others
 * answer 404).
 */
@Tag(name = ApiTags.SCHEDULES)
@RestController
@RequestMapping("/api/v1/schedules")
class ScheduleController {

    private final ScheduleService schedules;

    ScheduleController(ScheduleService schedules) {
        this.schedules = schedules;
    }

    @ProblemResponses({CONFLICT})
    @Operation(operationId = "createSchedule",
            summary = "Create a recurring schedule",
            description = "Each firing becomes a task with a deterministic id; beyond the configured number of"
                    + " schedules 409.",
            responses = @ApiResponse(responseCode = "201", description = "The schedule is stored.",
                    headers = @Header(name = "Location", description = "The schedule's URL.",
                            schema = @Schema(type = "string", format = "uri-reference"))))
    @PostMapping
    ResponseEntity<ScheduleResponse> create(@RequestBody ScheduleRequest request,
            @AuthenticationPrincipal Caller caller) {
        ScheduleResponse created = ScheduleResponse.of(schedules.create(request, caller));
        return ResponseEntity.created(URI.create("/api/v1/schedules/" + created.id())).body(created);
    }

    @Operation(operationId = "listSchedules", summary = "List recurring schedules")
    @GetMapping
    List<ScheduleResponse> list(@AuthenticationPrincipal Caller caller) {
        return schedules.list(caller).stream().map(ScheduleResponse::of).toList();
    }

    @ProblemResponses({NOT_FOUND})
    @Operation(operationId = "getSchedule", summary = "Read a schedule")
    @GetMapping("/{id}")
    ScheduleResponse get(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        return ScheduleResponse.of(schedules.get(id, caller));
    }

    @ProblemResponses({NOT_FOUND})
    @Operation(operationId = "updateSchedule", summary = "Change a schedule")
    @PutMapping("/{id}")
    ScheduleResponse update(@PathVariable UUID id, @RequestBody ScheduleRequest request,
            @AuthenticationPrincipal Caller caller) {
        return ScheduleResponse.of(schedules.update(id, request, caller));
    }

    @ProblemResponses({NOT_FOUND})
    @Operation(operationId = "pauseSchedule",
            summary = "Pause a schedule",
            description = "It fires no more until resumed.")
    @PostMapping("/{id}/pause")
    ScheduleResponse pause(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        return ScheduleResponse.of(schedules.setPaused(id, true, caller));
    }

    @ProblemResponses({NOT_FOUND})
    @Operation(operationId = "resumeSchedule", summary = "Resume a paused schedule")
    @PostMapping("/{id}/resume")
    ScheduleResponse resume(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        return ScheduleResponse.of(schedules.setPaused(id, false, caller));
    }

    /** Submits the schedule's task now; 202 with the task, as a submission answers. */
    @ProblemResponses({NOT_FOUND, SERVICE_UNAVAILABLE})
    @Operation(operationId = "triggerSchedule",
            summary = "Run a schedule's task now",
            description = "Submits one task from the schedule's template at once, outside its timetable; the"
                    + " schedule's next firings do not change.",
            responses = @ApiResponse(responseCode = "202", description = "The task is stored durably.",
                    headers = @Header(name = "Location", description = "The task's URL.",
                            schema = @Schema(type = "string", format = "uri"))))
    @PostMapping("/{id}/trigger")
    ResponseEntity<TaskResponse> trigger(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        SubmissionResult result = schedules.trigger(id, caller);
        return ResponseEntity.accepted().location(URI.create("/api/v1/tasks/" + result.task().id()))
                .body(TaskResponse.of(result.task()));
    }

    @ProblemResponses({NOT_FOUND})
    @Operation(operationId = "deleteSchedule",
            summary = "Delete a schedule",
            responses = @ApiResponse(responseCode = "204", description = "The schedule is deleted."))
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        schedules.delete(id, caller);
        return ResponseEntity.noContent().build();
    }
}
