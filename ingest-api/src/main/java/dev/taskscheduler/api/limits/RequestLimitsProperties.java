package dev.taskscheduler.api.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param maxRequestSize largest request body the API reads; a larger one answers 413 before it is
 *                       parsed (a full batch of 500 small tasks needs well under 1 MB)
 */
@ConfigurationProperties("scheduler.ingest.limits")
public record RequestLimitsProperties(@DefaultValue("2MB") DataSize maxRequestSize) {
}
