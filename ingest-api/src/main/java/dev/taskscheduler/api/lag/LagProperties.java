package dev.taskscheduler.api.lag;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The consumer-lag monitor of the api-server.
 *
 * @param enabled        whether the api-server watches consumer groups at all
 * @param interval       time between two readings of committed and end offsets
 * @param groups         consumer groups always watched (absent groups show nothing)
 * @param groupPrefixes  every existing group whose name starts with one of these is watched too
 *                       ({@code worker-} finds the group of each worker pool)
 * @param requestTimeout limit of each Kafka request of one reading
 * @param fetchTimeout   how long one reading may spend fetching the oldest unread record of each
 *                       lagging partition (for its timestamp)
 */
@ConfigurationProperties("scheduler.lag")
public record LagProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("15s") Duration interval,
        @DefaultValue({"api-server-submissions", "task-scheduler-timers"}) List<String> groups,
        @DefaultValue("worker-") List<String> groupPrefixes,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("5s") Duration fetchTimeout) {
}
