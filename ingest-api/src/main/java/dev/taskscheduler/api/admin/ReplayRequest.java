package dev.taskscheduler.api.admin;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A request to replay dead-lettered tasks: by ids, or by filter (type, error text, time range).
 * At least one criterion is required. {@code dryRun} only counts.
 *
 * @param limit         at most this many tasks (default 100, at most 10,000)
 * @param ratePerSecond replayed tasks become due at this pace (default 50 per second)
 */
public record ReplayRequest(
        List<UUID> taskIds,
        String type,
        String errorContains,
        Instant deadLetteredAfter,
        Instant deadLetteredBefore,
        Integer limit,
        Integer ratePerSecond,
        Boolean dryRun) {

    public boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }
}
