package dev.taskscheduler.relay;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the outbox relay ({@code scheduler.relay.*}). Kafka and PostgreSQL connections come from Boot's
 * {@code spring.kafka.*} and {@code spring.datasource.*}.
 *
 * @param slotName          logical replication slot; also keys the stored offsets and the advisory lock, so every
 *                          relay sharing a slot competes for the same lock
 * @param publicationName   publication holding only {@code public.outbox}, created by Debezium if missing
 * @param pollInterval      how long Debezium waits for new changes before polling again; bounds the relay latency
 * @param heartbeatInterval how often the relay writes a WAL message and commits its position, so the slot releases
 *                          WAL while the outbox is idle
 * @param shutdownTimeout   how long a stop waits for the engine to flush and close
 * @param offsets           where Debezium stores its source offsets
 * @param lock              single-active-instance settings
 * @param restart           backoff between engine restarts after a failure
 * @param metrics           metric settings
 * @param engine            extra Debezium engine properties applied last (e.g. {@code database.sslmode} or Kafka
 *                          security settings for the offsets topic clients); they override the relay's own values
 */
@ConfigurationProperties("scheduler.relay")
public record RelayProperties(
        @DefaultValue("task_outbox_slot") String slotName,
        @DefaultValue("task_outbox_publication") String publicationName,
        @DefaultValue("10ms") Duration pollInterval,
        @DefaultValue("10s") Duration heartbeatInterval,
        @DefaultValue("30s") Duration shutdownTimeout,
        @DefaultValue Offsets offsets,
        @DefaultValue Lock lock,
        @DefaultValue Restart restart,
        @DefaultValue Metrics metrics,
        Map<String, String> engine) {

    /** PostgreSQL's rule for replication slot names. */
    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");

    public RelayProperties {
        if (!SLOT_NAME.matcher(slotName).matches()) {
            throw new IllegalArgumentException("scheduler.relay.slot-name '" + slotName
                    + "' is not a valid replication slot name (lower-case letters, digits and '_', at most 63)");
        }
        engine = engine == null ? Map.of() : Map.copyOf(engine);
    }

    /**
     * Debezium's offsets live in a compacted Kafka topic, so a relay on a new pod resumes where the last one stopped.
     *
     * @param topic             the offsets topic, created (compacted) on first start
     * @param partitions        its partition count
     * @param replicationFactor its replication factor: 1 suits a single dev broker, use 3 in production
     * @param flushInterval     how often processed offsets are committed; a crash replays at most this much
     * @param fetchMaxWait      how long the broker holds a fetch of the store's reader while the topic has nothing new
     *                          ({@code fetch.max.wait.ms}): how often an idle relay asks again, and how long closing
     *                          the reader may wait for the fetch in flight
     */
    public record Offsets(
            @DefaultValue("outbox-relay.offsets") String topic,
            @DefaultValue("1") int partitions,
            @DefaultValue("1") short replicationFactor,
            @DefaultValue("1s") Duration flushInterval,
            @DefaultValue("2s") Duration fetchMaxWait) {
    }

    /**
     * @param checkInterval how often a standby retries the advisory lock and the active relay verifies it still
     *                      holds it
     */
    public record Lock(@DefaultValue("5s") Duration checkInterval) {
    }

    /**
     * @param initialBackoff wait before the first restart after a failure
     * @param maxBackoff     cap of the doubling wait between consecutive failures
     */
    public record Restart(
            @DefaultValue("1s") Duration initialBackoff,
            @DefaultValue("1m") Duration maxBackoff) {

        public Restart {
            if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("scheduler.relay.restart needs 0 < initial-backoff <= max-backoff, got "
                        + initialBackoff + " and " + maxBackoff);
            }
        }
    }

    /**
     * @param destinations topics whose event counters are registered at startup, so they are exported at zero
     */
    public record Metrics(@DefaultValue("task.events") List<String> destinations) {
    }
}
