package dev.taskscheduler.api.schedule;

import static dev.taskscheduler.api.openapi.ProblemResponse.CONFLICT;
import static dev.taskscheduler.api.openapi.ProblemResponse.NOT_FOUND;

import dev.taskscheduler.api.openapi.ApiTags;
import dev.taskscheduler.api.openapi.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import dev.taskscheduler.api.security.Caller;
import dev.taskscheduler.api.submission.TaskTypeNotAllowedException;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import dev.taskscheduler.store.ScheduleRepository;
import dev.taskscheduler.store.StoredSchedule;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;
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
 * Recurring schedules. Every change is stored in PostgreSQL and reaches the scheduler through the
 * outbox; each firing becomes a normal task. A caller restricted to some task types sees and
 * changes only the schedules of those types (others answer 404).
 */
@Tag(name = ApiTags.SCHEDULES)
@RestController
@RequestMapping("/api/v1/schedules")
class ScheduleController {

    private final ScheduleRepository schedules;
    private final ScheduleValidator validator;
    private final ScheduleProperties properties;

    ScheduleController(ScheduleRepository schedules, ScheduleValidator validator, ScheduleProperties properties) {
        this.schedules = schedules;
        this.validator = validator;
        this.properties = properties;
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
        StoredSchedule valid = validator.validate(UUID.randomUUID(), request);
        requireReach(caller, valid.taskType());
        if (schedules.count() >= properties.maxCount()) {
            throw new ScheduleLimitException(properties.maxCount());
        }
        StoredSchedule created = unique(request.name(), () -> schedules.insert(valid));
        return ResponseEntity.created(URI.create("/api/v1/schedules/" + created.id())).body(ScheduleResponse.of(created));
    }

    @Operation(operationId = "listSchedules", summary = "List recurring schedules")
    @GetMapping
    List<ScheduleResponse> list(@AuthenticationPrincipal Caller caller) {
        return schedules.list().stream().filter(schedule -> caller.reaches(schedule.taskType()))
                .map(ScheduleResponse::of).toList();
    }

    @ProblemResponses({NOT_FOUND})
    @Operation(operationId = "getSchedule", summary = "Read a schedule")
    @GetMapping("/{id}")
    ScheduleResponse get(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        return ScheduleResponse.of(reachable(id, caller));
    }

    @ProblemResponses({NOT_FOUND})
    @Operation(operationId = "updateSchedule", summary = "Change a schedule")
    @PutMapping("/{id}")
    ScheduleResponse update(@PathVariable UUID id, @RequestBody ScheduleRequest request,
            @AuthenticationPrincipal Caller caller) {
        reachable(id, caller);
        StoredSchedule valid = validator.validate(id, request);
        requireReach(caller, valid.taskType());
        StoredSchedule updated = unique(request.name(), () -> schedules.update(valid)
                .orElseThrow(() -> new ScheduleNotFoundException(id)));
        return ScheduleResponse.of(updated);
    }

    @ProblemResponses({NOT_FOUND})
    @Operation(operationId = "pauseSchedule",
            summary = "Pause a schedule",
            description = "It fires no more until resumed.")
    @PostMapping("/{id}/pause")
    ScheduleResponse pause(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        reachable(id, caller);
        return ScheduleResponse.of(found(id, schedules.setPaused(id, true)));
    }

    @ProblemResponses({NOT_FOUND})
    @Operation(operationId = "resumeSchedule", summary = "Resume a paused schedule")
    @PostMapping("/{id}/resume")
    ScheduleResponse resume(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        reachable(id, caller);
        return ScheduleResponse.of(found(id, schedules.setPaused(id, false)));
    }

    @ProblemResponses({NOT_FOUND})
    @Operation(operationId = "deleteSchedule",
            summary = "Delete a schedule",
            responses = @ApiResponse(responseCode = "204", description = "The schedule is deleted."))
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        reachable(id, caller);
        if (!schedules.delete(id)) {
            throw new ScheduleNotFoundException(id);
        }
        return ResponseEntity.noContent().build();
    }

    /** The schedule, if it exists and its task type is within the caller's reach; 404 otherwise. */
    private StoredSchedule reachable(UUID id, Caller caller) {
        return schedules.findById(id).filter(schedule -> caller.reaches(schedule.taskType()))
                .orElseThrow(() -> new ScheduleNotFoundException(id));
    }

    private static void requireReach(Caller caller, String taskType) {
        if (!caller.reaches(taskType)) {
            throw new TaskTypeNotAllowedException(taskType);
        }
    }

    private static StoredSchedule found(UUID id, Optional<StoredSchedule> schedule) {
        return schedule.orElseThrow(() -> new ScheduleNotFoundException(id));
    }

    private static StoredSchedule unique(String name, Supplier<StoredSchedule> write) {
        try {
            return write.get();
        } catch (DuplicateKeyException e) {
            throw new InvalidSubmissionException("name",
                    "a schedule named '" + name + "' exists already");
        }
    }
}
