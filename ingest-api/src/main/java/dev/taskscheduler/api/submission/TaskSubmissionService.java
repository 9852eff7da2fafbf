package dev.taskscheduler.api.submission;

import dev.taskscheduler.model.submission.SubmissionValidator;
import dev.taskscheduler.model.submission.TaskSubmission;
import dev.taskscheduler.model.submission.ValidSubmission;
import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.store.TaskRepository;
import dev.taskscheduler.store.cache.TaskStatusCache;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one path by which tasks enter the system, used by REST and by the submission topic. The
 * task row and its outbox event (written by the table's trigger) commit in one transaction; only
 * after that commit is the task acknowledged to the caller.
 */
@Service
public class TaskSubmissionService {

    private final SubmissionValidator validator;
    private final TaskRepository tasks;
    private final TaskStatusCache cache;
    private final TransactionTemplate transaction;

    public TaskSubmissionService(SubmissionValidator validator, TaskRepository tasks,
            TaskStatusCache cache, TransactionTemplate transaction) {
        this.validator = validator;
        this.tasks = tasks;
        this.cache = cache;
        this.transaction = transaction;
    }

    /**
     * Validates and stores a submission.
     *
     * @throws dev.taskscheduler.model.submission.InvalidSubmissionException when it breaks a rule
     * @throws IdempotencyConflictException when its key belongs to a different request
     */
    public SubmissionResult submit(TaskSubmission submission) {
        ValidSubmission valid = validator.validate(submission);
        SubmissionResult result = Objects.requireNonNull(transaction.execute(status -> store(valid)));
        if (result.created()) {
            cache.put(result.task());
        }
        return result;
    }

    /**
     * A submission with an idempotency key gets an id derived from it, so the same request yields
     * the same task id wherever it is retried; a recurring schedule's firing
     * ({@code schedule:<id>:<fire time>}) thereby has a deterministic task id.
     */
    static UUID idOf(ValidSubmission submission) {
        return submission.idempotencyKey() == null
                ? UUID.randomUUID()
                : UUID.nameUUIDFromBytes(("task:" + submission.idempotencyKey()).getBytes(StandardCharsets.UTF_8));
    }

    private SubmissionResult store(ValidSubmission submission) {
        Optional<StoredTask> inserted = tasks.insertPending(idOf(submission), submission);
        if (inserted.isPresent()) {
            return new SubmissionResult(inserted.get(), true);
        }
        // The key is taken: a retry of the same request gets the same task, anything else conflicts.
        StoredTask existing = tasks.findByIdempotencyKey(submission.idempotencyKey())
                .orElseThrow(() -> new IllegalStateException(
                        "Idempotency key '" + submission.idempotencyKey() + "' conflicted but no task holds it"));
        if (!existing.requestFingerprint().equals(submission.fingerprint())) {
            throw new IdempotencyConflictException(submission.idempotencyKey(), existing.id());
        }
        return new SubmissionResult(existing, false);
    }
}
