package dev.taskscheduler.scheduler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the scheduler.
 *
 * @param punctuateInterval how often the timer store is checked for due tasks; with the commit
 *                          interval it bounds how late a task is released
 * @param maxReleasesPerPunctuation upper bound of tasks released by one punctuation, so a burst of
 *                          due tasks is spread over several punctuations and commits
 * @param misfireThreshold  a recurring firing found later than this (the scheduler was down) is a
 *                          misfire, handled by the schedule's misfire policy
 * @param defaultPool       pool of task types not listed in {@code pools}
 * @param pools             task type → worker pool; each pool has its topic {@code tasks.ready.<pool>}
 * @param knownPools        pools whose ready topics are created at startup (besides those in
 *                          {@code pools} and the default pool)
 * @param topicPartitions   partitions of the topics this service creates
 * @param topicReplicas     replication factor of the topics this service creates
 */
@ConfigurationProperties("scheduler.timers")
public record SchedulerProperties(
        @DefaultValue("20ms") Duration punctuateInterval,
        @DefaultValue("5000") int maxReleasesPerPunctuation,
        @DefaultValue("1m") Duration misfireThreshold,
        @DefaultValue("default") String defaultPool,
        @DefaultValue Map<String, String> pools,
        @DefaultValue List<String> knownPools,
        @DefaultValue("3") int topicPartitions,
        @DefaultValue("1") short topicReplicas) {
}
