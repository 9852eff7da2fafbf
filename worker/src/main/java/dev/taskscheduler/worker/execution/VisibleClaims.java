package dev.taskscheduler.worker.execution;

import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.store.TaskClaims;
import dev.taskscheduler.store.TaskClaims.Release;
import dev.taskscheduler.store.TaskRepository;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One round of claims that tells a release whose task row is not visible yet from a stale one.
 *
 * <p>Logical decoding hands the relay a transaction as soon as its commit record is in the WAL, a
 * moment before other sessions see it, so a release can reach the worker inside that moment. A
 * release that claimed nothing is then either stale (its task ran, moved or was cancelled) or early
 * (its row is not visible yet). The look for the row comes after the claim, so a row that became
 * visible between the two would pass for stale and its task would wait for the overdue sweep: such a
 * release is claimed once more. That claim's snapshot is later than the look's, so whatever it does
 * not take is stale.
 */
final class VisibleClaims {

    /** @param notVisible releases whose task row does not exist yet, to be tried again later */
    record Round(List<StoredTask> claimed, List<Release> notVisible) {
    }

    private final String workerId;
    private final TaskClaims claims;
    private final TaskRepository tasks;

    VisibleClaims(String workerId, TaskClaims claims, TaskRepository tasks) {
        this.workerId = workerId;
        this.claims = claims;
        this.tasks = tasks;
    }

    Round claim(List<Release> releases) {
        List<StoredTask> claimed = new ArrayList<>(claims.claim(workerId, releases));
        List<Release> unclaimed = unclaimed(releases, claimed);
        if (unclaimed.isEmpty()) {
            return new Round(claimed, List.of());
        }
        Set<UUID> existing = tasks.existingIds(unclaimed.stream().map(Release::taskId).toList());
        List<Release> visibleSince = unclaimed.stream().filter(release -> existing.contains(release.taskId())).toList();
        if (!visibleSince.isEmpty()) {
            claimed.addAll(claims.claim(workerId, visibleSince));
        }
        return new Round(claimed, unclaimed.stream().filter(release -> !existing.contains(release.taskId())).toList());
    }

    private static List<Release> unclaimed(List<Release> releases, List<StoredTask> claimed) {
        if (claimed.size() == releases.size()) {
            return List.of();
        }
        Set<UUID> claimedIds = new HashSet<>();
        claimed.forEach(task -> claimedIds.add(task.id()));
        return releases.stream().filter(release -> !claimedIds.contains(release.taskId())).toList();
    }
}
