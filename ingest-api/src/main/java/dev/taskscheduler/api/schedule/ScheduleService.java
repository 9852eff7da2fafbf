package dev.taskscheduler.api.schedule;

import dev.taskscheduler.api.security.Caller;
import dev.taskscheduler.api.submission.SubmissionResult;
import dev.taskscheduler.api.submission.TaskSubmissionService;
import dev.taskscheduler.api.submission.TaskTypeNotAllowedException;
import dev.taskscheduler.model.CronSchedule;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import dev.taskscheduler.model.submission.TaskSubmission;
import dev.taskscheduler.store.ScheduleRepository;
import dev.taskscheduler.store.StoredSchedule;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Recurring schedules, for the REST API and the console alike. Every change is stored in PostgreSQL
 * and reaches the scheduler through the outbox; each firing becomes a normal task. A caller
 * restricted to some task types sees and changes only the schedules of those types (others are
 * not found).
 */
@Service
public class ScheduleService {

    /** Most fire times a preview lists. */
    public static final int MAX_PREVIEW = 20;

    private final ScheduleRepository schedules;
    private final ScheduleValidator validator;
    private final ScheduleProperties properties;
    private final TaskSubmissionService submissions;
    private final Clock clock = Clock.systemUTC();

    ScheduleService(ScheduleRepository schedules, ScheduleValidator validator, ScheduleProperties properties,
            TaskSubmissionService submissions) {
        this.schedules = schedules;
        this.validator = validator;
        this.properties = properties;
        this.submissions = submissions;
    }

    public StoredSchedule create(ScheduleRequest request, Caller caller) {
        StoredSchedule valid = validator.validate(UUID.randomUUID(), request);
        requireReach(caller, valid.taskType());
        if (schedules.count() >= properties.maxCount()) {
            throw new ScheduleLimitException(properties.maxCount());
        }
        return unique(request.name(), () -> schedules.insert(valid));
    }

    public List<StoredSchedule> list(Caller caller) {
        return schedules.list().stream().filter(schedule -> caller.reaches(schedule.taskType())).toList();
    }

    /** The schedule, if it exists and its task type is within the caller's reach; 404 otherwise. */
    public StoredSchedule get(UUID id, Caller caller) {
        return schedules.findById(id).filter(schedule -> caller.reaches(schedule.taskType()))
                .orElseThrow(() -> new ScheduleNotFoundException(id));
    }

    public StoredSchedule update(UUID id, ScheduleRequest request, Caller caller) {
        get(id, caller);
        StoredSchedule valid = validator.validate(id, request);
        requireReach(caller, valid.taskType());
        return unique(request.name(), () -> schedules.update(valid).orElseThrow(() -> new ScheduleNotFoundException(id)));
    }

    public StoredSchedule setPaused(UUID id, boolean paused, Caller caller) {
        get(id, caller);
        return found(id, schedules.setPaused(id, paused));
    }

    public void delete(UUID id, Caller caller) {
        get(id, caller);
        if (!schedules.delete(id)) {
            throw new ScheduleNotFoundException(id);
        }
    }

    /**
     * Submits the schedule's task now, outside its cron expression, paused or not. The idempotency
     * key {@code schedule:<id>:manual:<time>} tells it apart from the firings
     * ({@code schedule:<id>:<fire time>}).
     */
    public SubmissionResult trigger(UUID id, Caller caller) {
        StoredSchedule schedule = get(id, caller);
        TaskSubmission submission = new TaskSubmission(schedule.taskType(),
                Json.mapper().readTree(schedule.taskPayloadJson()), null, null, schedule.maxRetries(), null, null,
                "schedule:" + id + ":manual:" + clock.instant(), schedule.taskPriority());
        return submissions.submit(submission);
    }

    /**
     * The next {@code count} fire times of an expression read in a zone, from now.
     *
     * @throws InvalidSubmissionException naming the field that is wrong
     */
    public List<Instant> preview(String cron, String timeZone, int count) {
        if (count < 1 || count > MAX_PREVIEW) {
            throw new InvalidSubmissionException("count", "must be between 1 and " + MAX_PREVIEW);
        }
        CronSchedule schedule = validator.parse(cron, timeZone);
        List<Instant> times = new ArrayList<>(count);
        Instant next = clock.instant();
        while (times.size() < count && (next = schedule.nextAfter(next)) != null) {
            times.add(next);
        }
        return times;
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
            throw new InvalidSubmissionException("name", "a schedule named '" + name + "' exists already");
        }
    }
}
