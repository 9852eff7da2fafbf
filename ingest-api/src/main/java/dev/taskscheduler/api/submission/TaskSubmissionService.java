package dev.taskscheduler.api.submission;

import dev.taskscheduler.model.submission.SubmissionValidator;
import dev.taskscheduler.model.submission.TaskSubmission;
import dev.taskscheduler.model.submission.ValidSubmission;
import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.store.TaskRepository;
import dev.taskscheduler.store.cache.TaskStatusCache;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
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
     * Validates and stores several submissions, all valid ones in one transaction. Each gets its
     * own outcome at its own index: an invalid submission or a reused idempotency key rejects that
     * task only, never its neighbours. Keys repeated within the batch behave as repeated requests.
     */
    public List<BatchItemOutcome> submitAll(List<TaskSubmission> submissions) {
        return submitAll(submissions, type -> true);
    }

    /**
     * As {@link #submitAll(List)}, and a submission whose type {@code reachable} refuses is
     * rejected with {@link TaskTypeNotAllowedException}.
     */
    public List<BatchItemOutcome> submitAll(List<TaskSubmission> submissions, Predicate<String> reachable) {
        return submitReceived(submissions.stream().map(IncomingSubmission::now).toList(), reachable);
    }

    /** As {@link #submitAll(List)}, each submission judged as of the moment it was received. */
    public List<BatchItemOutcome> submitReceived(List<IncomingSubmission> submissions) {
        return submitReceived(submissions, type -> true);
    }

    private List<BatchItemOutcome> submitReceived(List<IncomingSubmission> submissions,
            Predicate<String> reachable) {
        List<BatchItemOutcome> outcomes = new ArrayList<>(submissions.size());
        List<ValidSubmission> valid = new ArrayList<>(submissions.size());
        for (IncomingSubmission incoming : submissions) {
            try {
                ValidSubmission checked = incoming.receivedAt() == null
                        ? validator.validate(incoming.submission())
                        : validator.validate(incoming.submission(), incoming.receivedAt());
                if (!reachable.test(checked.type())) {
                    throw new TaskTypeNotAllowedException(checked.type());
                }
                valid.add(checked);
                outcomes.add(null);
            } catch (InvalidSubmissionException | TaskTypeNotAllowedException e) {
                valid.add(null);
                outcomes.add(BatchItemOutcome.rejected(e));
            }
        }
        transaction.executeWithoutResult(status -> {
            for (int i = 0; i < valid.size(); i++) {
                if (valid.get(i) != null) {
                    outcomes.set(i, storeOrReject(valid.get(i)));
                }
            }
        });
        // Cached after the commit only: the cache must never show a task that was rolled back.
        outcomes.stream().filter(outcome -> outcome.result() != null && outcome.result().created())
                .forEach(outcome -> cache.put(outcome.result().task()));
        return outcomes;
    }

    /** A conflict leaves the transaction usable: the insert did nothing and the lookup only read. */
    private BatchItemOutcome storeOrReject(ValidSubmission submission) {
        try {
            return BatchItemOutcome.stored(store(submission));
        } catch (IdempotencyConflictException e) {
            return BatchItemOutcome.rejected(e);
        }
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
            throw new IdempotencyConflictException(submission.idempotencyKey(), existing.id(), existing.type());
        }
        return new SubmissionResult(existing, false);
    }
}
