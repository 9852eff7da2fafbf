package dev.taskscheduler.api.admin;

import java.util.List;
import java.util.UUID;

/**
 * Outcome of a replay request.
 *
 * @param replayId id of the audit record in {@code dlq_replays}
 * @param matched  dead letters matching the filter (up to the limit)
 * @param replayed tasks set back to pending (0 on a dry run)
 * @param taskIds  the replayed tasks
 */
public record ReplayResult(long replayId, boolean dryRun, int matched, int replayed, List<UUID> taskIds) {
}
