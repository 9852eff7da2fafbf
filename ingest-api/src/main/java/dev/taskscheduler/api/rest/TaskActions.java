package dev.taskscheduler.api.rest;

import dev.taskscheduler.api.security.Caller;
import dev.taskscheduler.api.submission.TaskQueryService;
import dev.taskscheduler.model.submission.SubmissionValidator;
import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.store.TaskAttempt;
import dev.taskscheduler.store.TaskRepository;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Reading one task and the operators' changes to it, for the REST API and the console alike. A
 * task whose type the caller does not reach is not found, exactly like a missing one.
 */
@Service
public class TaskActions {

    private final TaskQueryService queries;
    private final TaskRepository tasks;
    private final SubmissionValidator validator;

    TaskActions(TaskQueryService queries, TaskRepository tasks, SubmissionValidator validator) {
        this.queries = queries;
        this.tasks = tasks;
        this.validator = validator;
    }

    /** @throws TaskNotFoundException if it does not exist or is out of the caller's reach */
    public StoredTask find(UUID id, Caller caller) {
        return queries.find(id).filter(task -> caller.reaches(task.type()))
                .orElseThrow(() -> new TaskNotFoundException(id));
    }

    /** The attempt history, oldest first, of a task the caller reaches. */
    public List<TaskAttempt> attempts(UUID id, Caller caller) {
        find(id, caller);
        return queries.attempts(id);
    }

    /** Cancels a pending task: it will not run. A task already running or finished is a conflict. */
    public StoredTask cancel(UUID id, Caller caller) {
        find(id, caller);
        return tasks.cancel(id).orElseThrow(() -> conflict(id, "cancel"));
    }

    /**
     * Moves a pending task to a new due time ({@code runAt}, ISO-8601 with offset, or {@code delay},
     * an ISO-8601 duration from now); a conflict once it runs or ended.
     */
    public StoredTask reschedule(UUID id, String runAt, String delay, Caller caller) {
        find(id, caller);
        Instant due = validator.validateDueTime(runAt, delay);
        return tasks.reschedule(id, due).orElseThrow(() -> conflict(id, "be rescheduled"));
    }

    private TaskStateConflictException conflict(UUID id, String action) {
        StoredTask current = queries.find(id).orElseThrow(() -> new TaskNotFoundException(id));
        return new TaskStateConflictException(id, current.status().dbValue(), action);
    }
}
