package dev.taskscheduler.api.admin;

import java.util.List;
import java.util.UUID;

/**
 * What a stuck-task reset did.
 *
 * @param reset   how many running tasks went back to pending
 * @param taskIds their ids
 */
public record StuckTaskReset(int reset, List<UUID> taskIds) {
}
