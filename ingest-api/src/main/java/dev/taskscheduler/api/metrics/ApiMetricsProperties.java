package dev.taskscheduler.api.metrics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the api-server's own meters.
 *
 * @param taskCountsCacheTtl how long one reading of the task counts (one query on {@code tasks}) serves
 *                           scrapes; several scrapers or a short scrape interval then cost one query
 *                           per this period at most
 */
@ConfigurationProperties("scheduler.ingest.metrics")
public record ApiMetricsProperties(@DefaultValue("10s") Duration taskCountsCacheTtl) {
}
