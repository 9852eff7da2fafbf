package dev.taskscheduler.store;

import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.TaskStatus;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Which tasks a listing shows; every given criterion must match, null ones are left out.
 *
 * @param typesIn        only these types (a pool's routed types); null: any
 * @param typesNotIn     none of these types (for the default pool: the types routed elsewhere)
 * @param createdFrom    created at or after
 * @param createdTo      created before
 * @param reachableTypes the caller's reach; null: every type
 */
public record TaskListFilter(
        TaskStatus status,
        String type,
        Set<String> typesIn,
        Set<String> typesNotIn,
        TaskPriority priority,
        Instant createdFrom,
        Instant createdTo,
        UUID id,
        String idempotencyKey,
        Set<String> reachableTypes) {

    public TaskListFilter {
        typesIn = typesIn == null ? null : Set.copyOf(typesIn);
        typesNotIn = typesNotIn == null ? Set.of() : Set.copyOf(typesNotIn);
        reachableTypes = reachableTypes == null ? null : Set.copyOf(reachableTypes);
    }
}
