package dev.taskscheduler.api.console;

import dev.taskscheduler.model.PoolRouting;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which worker pool serves which task type: the scheduler's own settings, read under the same names
 * so that the console can filter tasks by pool. Give the api-server the same
 * {@code scheduler.timers.pools.<type>} and {@code default-pool} as the scheduler.
 */
@ConfigurationProperties("scheduler.timers")
public record PoolRoutingProperties(@DefaultValue("default") String defaultPool, @DefaultValue Map<String, String> pools) {

    public PoolRouting routing() {
        return new PoolRouting(defaultPool, pools);
    }
}
