package dev.taskscheduler.store;

import dev.taskscheduler.model.TaskPriority;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Which dead-lettered tasks a listing or replay is about. Every given criterion must match.
 *
 * @param taskIds            only these tasks (empty: any)
 * @param type               only this task type
 * @param errorContains      only tasks whose last error contains this text (case-insensitive)
 * @param deadLetteredAfter  only tasks dead-lettered at or after this time
 * @param deadLetteredBefore only tasks dead-lettered before this time
 * @param limit              at most this many, oldest dead letters first
 * @param reachableTypes     only tasks of these types (the caller's reach); null: every type
 * @param priority           only tasks of this priority
 * @param idempotencyKey     only the task with this idempotency key
 * @param typesIn            only these types (a pool's routed types); null: any
 * @param typesNotIn         none of these types (for the default pool: the types routed elsewhere)
 */
public record DeadLetterFilter(
        List<UUID> taskIds,
        String type,
        String errorContains,
        Instant deadLetteredAfter,
        Instant deadLetteredBefore,
        int limit,
        Set<String> reachableTypes,
        TaskPriority priority,
        String idempotencyKey,
        Set<String> typesIn,
        Set<String> typesNotIn) {

    public DeadLetterFilter {
        taskIds = taskIds == null ? List.of() : List.copyOf(taskIds);
        reachableTypes = reachableTypes == null ? null : Set.copyOf(reachableTypes);
        typesIn = typesIn == null ? null : Set.copyOf(typesIn);
        typesNotIn = typesNotIn == null ? Set.of() : Set.copyOf(typesNotIn);
    }

    /** The filter of the REST API: ids, type, error text and time range. */
    public DeadLetterFilter(List<UUID> taskIds, String type, String errorContains, Instant deadLetteredAfter,
            Instant deadLetteredBefore, int limit, Set<String> reachableTypes) {
        this(taskIds, type, errorContains, deadLetteredAfter, deadLetteredBefore, limit, reachableTypes, null, null,
                null, null);
    }

    /** Whether anything narrows the selection (a replay of "everything" must be asked for explicitly). */
    public boolean isNarrowed() {
        return !taskIds.isEmpty() || type != null || errorContains != null || deadLetteredAfter != null
                || deadLetteredBefore != null || priority != null || idempotencyKey != null || typesIn != null
                || !typesNotIn.isEmpty();
    }
}
