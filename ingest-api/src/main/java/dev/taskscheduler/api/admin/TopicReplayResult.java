package dev.taskscheduler.api.admin;

import java.util.List;
import java.util.UUID;

/**
 * What a replay from the {@code tasks.dlq} topic did.
 *
 * @param replayId        the audit row of this replay in {@code dlq_replays}
 * @param dryRun          true when only counted
 * @param scanned         records read from the topic
 * @param matched         dead letters whose task rows are gone and that were asked for
 * @param originalTaskIds their ids
 * @param createdTaskIds  the new tasks (empty for a dry run)
 */
public record TopicReplayResult(long replayId, boolean dryRun, int scanned, int matched, List<UUID> originalTaskIds,
        List<UUID> createdTaskIds) {
}
