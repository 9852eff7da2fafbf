package dev.taskscheduler.api.schedule;

import dev.taskscheduler.model.submission.InvalidSubmissionException;
import dev.taskscheduler.store.ScheduleRepository;
import dev.taskscheduler.store.StoredSchedule;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.ResponseEntity;
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
 * outbox; each firing becomes a normal task.
 */
@RestController
@RequestMapping("/api/v1/schedules")
class ScheduleController {

    private final ScheduleRepository schedules;
    private final ScheduleValidator validator;

    ScheduleController(ScheduleRepository schedules, ScheduleValidator validator) {
        this.schedules = schedules;
        this.validator = validator;
    }

    @PostMapping
    ResponseEntity<ScheduleResponse> create(@RequestBody ScheduleRequest request) {
        StoredSchedule created = unique(request.name(), () -> schedules.insert(validator.validate(UUID.randomUUID(), request)));
        return ResponseEntity.created(URI.create("/api/v1/schedules/" + created.id())).body(ScheduleResponse.of(created));
    }

    @GetMapping
    List<ScheduleResponse> list() {
        return schedules.list().stream().map(ScheduleResponse::of).toList();
    }

    @GetMapping("/{id}")
    ScheduleResponse get(@PathVariable UUID id) {
        return ScheduleResponse.of(schedules.findById(id).orElseThrow(() -> new ScheduleNotFoundException(id)));
    }

    @PutMapping("/{id}")
    ScheduleResponse update(@PathVariable UUID id, @RequestBody ScheduleRequest request) {
        StoredSchedule updated = unique(request.name(), () -> schedules.update(validator.validate(id, request))
                .orElseThrow(() -> new ScheduleNotFoundException(id)));
        return ScheduleResponse.of(updated);
    }

    @PostMapping("/{id}/pause")
    ScheduleResponse pause(@PathVariable UUID id) {
        return ScheduleResponse.of(schedules.setPaused(id, true).orElseThrow(() -> new ScheduleNotFoundException(id)));
    }

    @PostMapping("/{id}/resume")
    ScheduleResponse resume(@PathVariable UUID id) {
        return ScheduleResponse.of(schedules.setPaused(id, false).orElseThrow(() -> new ScheduleNotFoundException(id)));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        if (!schedules.delete(id)) {
            throw new ScheduleNotFoundException(id);
        }
        return ResponseEntity.noContent().build();
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
