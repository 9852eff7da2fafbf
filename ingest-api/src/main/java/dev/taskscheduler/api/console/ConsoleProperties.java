package dev.taskscheduler.api.console;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operators' console at {@code /console}.
 *
 * @param refreshInterval how often live parts of a page (overview, workers, a task that has not ended)
 *                        are read again
 * @param workerTtl       a worker whose heartbeat row is older than this is not shown as live (the
 *                        workers' {@code scheduler.worker.heartbeat.ttl})
 * @param pageSize        rows per page of the task and dead-letter lists
 */
@ConfigurationProperties("scheduler.console")
public record ConsoleProperties(
        @DefaultValue("5s") Duration refreshInterval,
        @DefaultValue("10s") Duration workerTtl,
        @DefaultValue("50") int pageSize) {
}
