package dev.taskscheduler.api.batch;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of {@code POST /api/v1/tasks/batch}.
 *
 * @param maxSize most tasks one batch may hold; a larger batch is refused whole, since all of its
 *                tasks are written in one transaction that holds its row locks until the commit
 */
@ConfigurationProperties("scheduler.ingest.batch")
public record BatchProperties(@DefaultValue("500") int maxSize) {
}
