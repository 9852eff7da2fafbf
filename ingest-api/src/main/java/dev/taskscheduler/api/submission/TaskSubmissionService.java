package dev.taskscheduler.api.submission;

import dev.taskscheduler.model.submission.InvalidSubmissionException;
import dev.taskscheduler.model.submission.SubmissionValidator;
import dev.taskscheduler.model.submission.TaskSubmission;
import dev.taskscheduler.model.submission.ValidSubmission;
import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.store.TaskRepository;
import dev.taskscheduler.store.TaskRepository.NewTask;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one path by which tasks enter the system, used by REST and by the submission topic. Tasks
 * and their events (emitted by the table's trigger) commit together; only after that commit is a
 * task acknowledged to the caller.
 *
 * <p>Every path stores many tasks per transaction and per statement: a batch request and a poll
 * of the topic are stored as they come, and concurrent single requests are gathered by
 * {@link GroupCommit} first. One commit and one round trip carry the whole batch.
 */
public class TaskSubmissionService {

    private final SubmissionValidator validator;
    private final TaskRepository tasks;
    private final TransactionTemplate transaction;
    private final GroupCommit groupCommit;

    public TaskSubmissionService(SubmissionValidator validator, TaskRepository tasks, TransactionTemplate transaction, GroupCommit.Settings groupCommit) {
        this.validator = validator;
        this.tasks = tasks;
        this.transaction = transaction;
        this.groupCommit = new GroupCommit(this::store, groupCommit);
    }

    /**
     * Validates and stores one submission, in a transaction shared with the single submissions that
     * arrive meanwhile.
     *
     * @throws InvalidSubmissionException when it breaks a rule
     * @throws IdempotencyConflictException when its key belongs to a different request
     * @throws SubmissionsOverloadedException when too many submissions wait to be stored
     */
    public SubmissionResult submit(TaskSubmission submission) {
        BatchItemOutcome outcome = groupCommit.store(validator.validate(submission));
        if (outcome.rejection() != null) {
            throw outcome.rejection();
        }
        return outcome.result();
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
        List<Integer> validAt = new ArrayList<>(submissions.size());
        for (IncomingSubmission incoming : submissions) {
            try {
                ValidSubmission checked = incoming.receivedAt() == null
                        ? validator.validate(incoming.submission())
                        : validator.validate(incoming.submission(), incoming.receivedAt());
                if (!reachable.test(checked.type())) {
                    throw new TaskTypeNotAllowedException(checked.type());
                }
                valid.add(checked);
                validAt.add(outcomes.size());
                outcomes.add(null);
            } catch (InvalidSubmissionException | TaskTypeNotAllowedException e) {
                outcomes.add(BatchItemOutcome.rejected(e));
            }
        }
        List<BatchItemOutcome> stored = store(valid);
        for (int i = 0; i < stored.size(); i++) {
            outcomes.set(validAt.get(i), stored.get(i));
        }
        return outcomes;
    }

    /**
     * Stores valid submissions with one insert statement in one transaction. A submission whose key
     * is taken gets the existing task when it is the same request, and a conflict otherwise.
     */
    List<BatchItemOutcome> store(List<ValidSubmission> submissions) {
        if (submissions.isEmpty()) {
            return List.of();
        }
        // Every task gets a time-ordered id, keyed or not: the key's uniqueness, not the id, makes a
        // repeated request find its first task. An id derived from the key (a name-based UUID) would be
        // random, and each insert, claim and outcome would touch another page of the primary key.
        List<NewTask> newTasks = submissions.stream().map(submission -> new NewTask(RandomIds.next(), submission))
                .toList();
        List<BatchItemOutcome> outcomes = Objects.requireNonNull(transaction.execute(status -> {
            Map<UUID, StoredTask> inserted = new HashMap<>();
            tasks.insertPendingAll(newTasks).forEach(task -> inserted.put(task.id(), task));
            return settle(newTasks, inserted);
        }));
        return outcomes;
    }

    /** Each submission's outcome; the ones not inserted are looked up by key in one query. */
    private List<BatchItemOutcome> settle(List<NewTask> newTasks, Map<UUID, StoredTask> inserted) {
        List<String> takenKeys = newTasks.stream().filter(task -> !inserted.containsKey(task.id()))
                .map(task -> task.submission().idempotencyKey()).filter(Objects::nonNull).distinct().toList();
        Map<String, StoredTask> holders = tasks.findByIdempotencyKeys(takenKeys);
        List<BatchItemOutcome> outcomes = new ArrayList<>(newTasks.size());
        for (NewTask newTask : newTasks) {
            StoredTask created = inserted.get(newTask.id());
            // A key repeated within the batch: its first use created the task, the others find it by key.
            if (created != null) {
                outcomes.add(BatchItemOutcome.stored(new SubmissionResult(created, true)));
                continue;
            }
            ValidSubmission submission = newTask.submission();
            StoredTask existing = submission.idempotencyKey() == null ? null : holders.get(submission.idempotencyKey());
            if (existing == null) {
                throw new IllegalStateException("Task " + newTask.id() + " was not inserted and no task holds its key");
            }
            outcomes.add(existing.requestFingerprint().equals(submission.fingerprint())
                    ? BatchItemOutcome.stored(new SubmissionResult(existing, false))
                    : BatchItemOutcome.rejected(new IdempotencyConflictException(submission.idempotencyKey(),
                            existing.id(), existing.type())));
        }
        return outcomes;
    }

    /** Stops gathering single submissions; those already waiting are stored first. */
    public void close() {
        groupCommit.close();
    }
}
