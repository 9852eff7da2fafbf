package dev.taskscheduler.api.schedule;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of recurring schedules: each firing is a task, so a schedule is a standing order of work.
 *
 * @param minInterval the shortest time a schedule may leave between two firings
 * @param maxCount    most schedules that may exist; creating one more answers 409
 */
@ConfigurationProperties("scheduler.ingest.schedules")
public record ScheduleProperties(@DefaultValue("10s") Duration minInterval, @DefaultValue("1000") int maxCount) {
}
