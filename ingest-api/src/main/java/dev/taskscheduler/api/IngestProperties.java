package dev.taskscheduler.api;

import dev.taskscheduler.model.RetryPolicy;
import dev.taskscheduler.model.submission.SubmissionLimits;
import dev.taskscheduler.model.submission.TaskDefaults;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the api-server.
 *
 * @param maxPayloadSize  largest task payload accepted
 * @param maxRetriesLimit largest {@code maxRetries} a client may ask for
 * @param maxTimeout      longest attempt timeout a client may ask for
 * @param maxPastAge      how far in the past {@code runAt} may be (such a task runs at once)
 * @param horizon         how far ahead a task may be scheduled
 * @param defaults        what a task gets when its submission leaves it out
 * @param taskTypes       defaults of particular task types (type → defaults), replacing {@code defaults}
 * @param topicPartitions partitions of the submission topics when this service creates them
 * @param topicReplicas   replication factor of the submission topics when this service creates them
 * @param submissionConsumers consumers of the submission topic in this instance (at most one per
 *                        partition does work); one gathers every partition's records into each poll
 * @param submissionWriters transactions that store one large poll side by side (a backlog); a poll
 *                        of at most {@code submissionMaxPollRecords / submissionWriters} records is
 *                        one transaction
 * @param submissionMaxPollRecords most records one poll of the submission topic returns
 * @param submissionFetchMaxWait how long the broker holds a fetch of the submission topic while it has
 *                        nothing new: how often an idle consumer asks again. A record that arrives
 *                        ends the wait, so it delays nothing
 * @param groupCommit     how concurrent single submissions share transactions
 * @param stuckResetMinAge the youngest {@code olderThan} the stuck-task reset accepts: workers refresh
 *                        the {@code updated_at} of the tasks they run every minute, so a younger one
 *                        could take tasks from workers that are alive and running them
 */
@ConfigurationProperties("scheduler.ingest")
public record IngestProperties(
        @DefaultValue("64KB") DataSize maxPayloadSize,
        @DefaultValue("100") int maxRetriesLimit,
        @DefaultValue("24h") Duration maxTimeout,
        @DefaultValue("1d") Duration maxPastAge,
        @DefaultValue("365d") Duration horizon,
        @DefaultValue Defaults defaults,
        @DefaultValue Map<String, Defaults> taskTypes,
        @DefaultValue("3") int topicPartitions,
        @DefaultValue("1") short topicReplicas,
        @DefaultValue("1") int submissionConsumers,
        @DefaultValue("3") int submissionWriters,
        @DefaultValue("1500") int submissionMaxPollRecords,
        @DefaultValue("2s") Duration submissionFetchMaxWait,
        @DefaultValue("5m") Duration stuckResetMinAge,
        @DefaultValue GroupCommit groupCommit) {

    /**
     * @param maxBatch      most single submissions stored by one transaction
     * @param queueCapacity most single submissions waiting to be stored; beyond it a request is
     *                      answered 503 at once
     * @param committers    transactions of single submissions in flight at once
     * @param answerTimeout how long a request waits for its commit before it is answered 503
     */
    public record GroupCommit(
            @DefaultValue("500") int maxBatch,
            @DefaultValue("10000") int queueCapacity,
            @DefaultValue("2") int committers,
            @DefaultValue("30s") Duration answerTimeout) {
    }

    /**
     * @param maxRetries         retries after the first attempt
     * @param timeout            how long one attempt may run
     * @param retryInitialDelay  wait after the first failed attempt
     * @param retryMultiplier    growth of the wait with each further failure
     * @param retryMaxDelay      cap of the wait
     */
    public record Defaults(
            @DefaultValue("3") int maxRetries,
            @DefaultValue("5m") Duration timeout,
            @DefaultValue("1s") Duration retryInitialDelay,
            @DefaultValue("2.0") double retryMultiplier,
            @DefaultValue("5m") Duration retryMaxDelay) {

        TaskDefaults toTaskDefaults() {
            return new TaskDefaults(maxRetries, timeout, new RetryPolicy(retryInitialDelay, retryMultiplier,
                    retryMaxDelay));
        }
    }

    public SubmissionLimits limits() {
        return new SubmissionLimits((int) maxPayloadSize.toBytes(), maxRetriesLimit, maxTimeout, maxPastAge, horizon,
                defaults.toTaskDefaults(), taskTypes.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().toTaskDefaults())));
    }
}
