package dev.taskscheduler.scheduler;

import dev.taskscheduler.scheduler.punctuation.PunctuationTiming;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the scheduler.
 *
 * @param punctuateInterval the resolution of the timers: a due task is released at most this late
 *                          (plus the commit interval). The stores are checked when their earliest
 *                          timer is due, not on every beat
 * @param idleCheckInterval with nothing due, the stores are still checked this often (a safety net:
 *                          every new timer wakes the check by itself)
 * @param idlePoll          with nothing due soon and no records arriving, the stream thread blocks in
 *                          its consumer's poll this long at a time instead of {@code poll.ms}; it
 *                          still wakes for the next due timer and for every record
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
        @DefaultValue("5s") Duration idleCheckInterval,
        @DefaultValue("1s") Duration idlePoll,
        @DefaultValue("5000") int maxReleasesPerPunctuation,
        @DefaultValue("1m") Duration misfireThreshold,
        @DefaultValue("default") String defaultPool,
        @DefaultValue Map<String, String> pools,
        @DefaultValue List<String> knownPools,
        @DefaultValue("3") int topicPartitions,
        @DefaultValue("1") short topicReplicas) {

    public PunctuationTiming punctuation() {
        return new PunctuationTiming(punctuateInterval, idleCheckInterval);
    }
}
