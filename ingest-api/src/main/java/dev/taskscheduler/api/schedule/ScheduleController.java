package dev.taskscheduler.api.schedule;

import dev.taskscheduler.api.rest.TaskResponse;
import dev.taskscheduler.api.security.Caller;
import dev.taskscheduler.api.submission.SubmissionResult;
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

/** Recurring schedules over REST (see {@link ScheduleService}). */
@RestController
@RequestMapping("/api/v1/schedules")
class ScheduleController {

    private final ScheduleService schedules;

    ScheduleController(ScheduleService schedules) {
        this.schedules = schedules;
    }

    @PostMapping
    ResponseEntity<ScheduleResponse> create(@RequestBody ScheduleRequest request,
            @AuthenticationPrincipal Caller caller) {
        ScheduleResponse created = ScheduleResponse.of(schedules.create(request, caller));
        return ResponseEntity.created(URI.create("/api/v1/schedules/" + created.id())).body(created);
    }

    @GetMapping
    List<ScheduleResponse> list(@AuthenticationPrincipal Caller caller) {
        return schedules.list(caller).stream().map(ScheduleResponse::of).toList();
    }

    @GetMapping("/{id}")
    ScheduleResponse get(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        return ScheduleResponse.of(schedules.get(id, caller));
    }

    @PutMapping("/{id}")
    ScheduleResponse update(@PathVariable UUID id, @RequestBody ScheduleRequest request,
            @AuthenticationPrincipal Caller caller) {
        return ScheduleResponse.of(schedules.update(id, request, caller));
    }

    @PostMapping("/{id}/pause")
    ScheduleResponse pause(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        return ScheduleResponse.of(schedules.setPaused(id, true, caller));
    }

    @PostMapping("/{id}/resume")
    ScheduleResponse resume(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        return ScheduleResponse.of(schedules.setPaused(id, false, caller));
    }

    /** Submits the schedule's task now; 202 with the task, as a submission answers. */
    @PostMapping("/{id}/trigger")
    ResponseEntity<TaskResponse> trigger(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        SubmissionResult result = schedules.trigger(id, caller);
        return ResponseEntity.accepted().location(URI.create("/api/v1/tasks/" + result.task().id()))
                .body(TaskResponse.of(result.task()));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        schedules.delete(id, caller);
        return ResponseEntity.noContent().build();
    }
}
