package dev.taskscheduler.api;

import dev.taskscheduler.model.submission.SubmissionLimits;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the api-server.
 *
 * @param maxPayloadSize    largest task payload accepted
 * @param maxRetriesLimit   largest {@code maxRetries} a client may ask for
 * @param defaultMaxRetries {@code maxRetries} when a submission gives none
 * @param maxPastAge        how far in the past {@code runAt} may be (such a task runs at once)
 * @param horizon           how far ahead a task may be scheduled
 * @param topicPartitions   partitions of the submission topics when this service creates them
 * @param topicReplicas     replication factor of the submission topics when this service creates them
 */
@ConfigurationProperties("scheduler.ingest")
public record IngestProperties(
        @DefaultValue("64KB") DataSize maxPayloadSize,
        @DefaultValue("100") int maxRetriesLimit,
        @DefaultValue("3") int defaultMaxRetries,
        @DefaultValue("1d") Duration maxPastAge,
        @DefaultValue("365d") Duration horizon,
        @DefaultValue("3") int topicPartitions,
        @DefaultValue("1") short topicReplicas) {

    public SubmissionLimits limits() {
        return new SubmissionLimits((int) maxPayloadSize.toBytes(), maxRetriesLimit, defaultMaxRetries,
                maxPastAge, horizon);
    }
}
