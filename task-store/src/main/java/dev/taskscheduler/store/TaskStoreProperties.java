package dev.taskscheduler.store;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the task store shared by the services that use PostgreSQL and Redis.
 *
 * @param cacheTtl how long a task row stays in the Redis status cache
 */
@ConfigurationProperties("scheduler.store")
public record TaskStoreProperties(@DefaultValue("10m") Duration cacheTtl) {
}
