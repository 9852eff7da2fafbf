package dev.taskscheduler.api.admin;

import dev.taskscheduler.api.rest.InstantParameters;
import dev.taskscheduler.api.security.Caller;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import dev.taskscheduler.store.DeadLetterFilter;
import dev.taskscheduler.store.DeadLetterRepository;
import dev.taskscheduler.store.StoredTask;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Replays dead letters on request. Replay is always explicit (nothing leaves the dead-letter queue
 * by itself), paced, and audited with who asked, which filter and how many; each task counts its
 * replays. A replayed task that fails again returns to the queue with that count.
 */
@Service
public class DeadLetterReplayService {

    static final int DEFAULT_LIMIT = 100;
    /** Most dead letters one replay takes. */
    public static final int MAX_LIMIT = 10_000;
    /** Replayed tasks become due at this pace unless the request says otherwise (per second). */
    public static final int DEFAULT_RATE = 50;
    /** The fastest pace a replay may ask for (per second). */
    public static final int MAX_RATE = 10_000;
    private static final String NOT_NARROWED =
            "give task ids or a filter (type, errorContains, deadLetteredAfter/Before)";
    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplayService.class);

    private final DeadLetterRepository deadLetters;
    private final TransactionTemplate transaction;

    public DeadLetterReplayService(DeadLetterRepository deadLetters, TransactionTemplate transaction) {
        this.deadLetters = deadLetters;
        this.transaction = transaction;
    }

    public List<StoredTask> list(DeadLetterFilter filter) {
        return deadLetters.find(filter);
    }

    /** Replays what the request selects within the caller's reach; the audit row names the caller. */
    public ReplayResult replay(ReplayRequest request, Caller caller) {
        return replay(filterOf(request, caller), request.ratePerSecond() == null ? DEFAULT_RATE : request.ratePerSecond(),
                request.isDryRun(), caller);
    }

    /**
     * Replays (or with {@code dryRun} only counts) the dead letters {@code filter} selects, which
     * must be narrowed and within the caller's reach ({@code filter.reachableTypes()}); the audit
     * row names the caller.
     */
    public ReplayResult replay(DeadLetterFilter filter, int rate, boolean dryRun, Caller caller) {
        if (!filter.isNarrowed()) {
            throw new InvalidSubmissionException("taskIds", NOT_NARROWED);
        }
        String requestedBy = caller.name();
        if (rate < 1 || rate > MAX_RATE) {
            throw new InvalidSubmissionException("ratePerSecond", "must be between 1 and " + MAX_RATE);
        }
        ReplayResult result = Objects.requireNonNull(transaction.execute(status -> {
            if (dryRun) {
                int matched = deadLetters.count(filter);
                return new ReplayResult(deadLetters.audit(requestedBy, filter, true, matched, 0), true, matched, 0,
                        List.of());
            }
            List<StoredTask> replayed = deadLetters.replay(filter, rate);
            long id = deadLetters.audit(requestedBy, filter, false, replayed.size(), replayed.size());
            return new ReplayResult(id, false, replayed.size(), replayed.size(),
                    replayed.stream().map(StoredTask::id).toList());
        }));
        log.info("Dead-letter replay {} by {}: {} matched, {} replayed{}", result.replayId(), requestedBy,
                result.matched(), result.replayed(), result.dryRun() ? " (dry run)" : "");
        return result;
    }

    /** A replay names at most {@value #MAX_LIMIT} tasks, none of them null. */
    static void checkTaskIds(List<UUID> taskIds) {
        if (taskIds == null) {
            return;
        }
        if (taskIds.stream().anyMatch(Objects::isNull)) {
            throw new InvalidSubmissionException("taskIds", "must not contain null");
        }
        if (taskIds.size() > MAX_LIMIT) {
            throw new InvalidSubmissionException("taskIds", "must hold at most " + MAX_LIMIT + " ids");
        }
    }

    static DeadLetterFilter filterOf(ReplayRequest request, Caller caller) {
        int limit = request.limit() == null ? DEFAULT_LIMIT : request.limit();
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidSubmissionException("limit", "must be between 1 and " + MAX_LIMIT);
        }
        checkTaskIds(request.taskIds());
        DeadLetterFilter filter = new DeadLetterFilter(request.taskIds(), request.type(), request.errorContains(),
                InstantParameters.checked("deadLetteredAfter", request.deadLetteredAfter()),
                InstantParameters.checked("deadLetteredBefore", request.deadLetteredBefore()), limit,
                caller.taskTypes());
        if (!filter.isNarrowed()) {
            throw new InvalidSubmissionException("taskIds", NOT_NARROWED);
        }
        return filter;
    }
}
