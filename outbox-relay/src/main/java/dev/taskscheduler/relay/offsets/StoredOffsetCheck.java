package dev.taskscheduler.relay.offsets;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import dev.taskscheduler.relay.RelayProperties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Runs before every engine start and removes the stored Debezium offset of the relay's slot when it cannot belong to
 * the database the relay now reads: after a restore (a point-in-time restore, a dump loaded into a new cluster, a
 * volume snapshot) the offset in Kafka still names a position in the WAL of the lost history.
 *
 * <p>Left in place, such an offset stops the relay or loses events: Debezium refuses to resume from a position its
 * slot no longer has ("no longer available on the server"), so the relay would restart forever; and where a slot does
 * reach back that far, PostgreSQL skips every transaction that commits before the position a stream asks to start
 * from, so what the restored cluster writes until its WAL passes the old position would never be relayed. Without the
 * offset, the engine starts at its slot, which a restored cluster creates anew on this start: nothing is skipped and
 * nothing of the old history is replayed.
 *
 * <p>An offset is stale when the slot does not exist (there is nothing to resume; a new slot starts at the current
 * WAL position), or when it lies ahead of the server's current WAL position (a position this server never wrote).
 */
@Component
public class StoredOffsetCheck {

    private static final Logger log = LoggerFactory.getLogger(StoredOffsetCheck.class);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    private final RelayProperties relay;
    private final KafkaProperties kafka;
    private final JdbcClient db;

    StoredOffsetCheck(RelayProperties relay, KafkaProperties kafka, DataSource dataSource) {
        this.relay = relay;
        this.kafka = kafka;
        this.db = JdbcClient.create(dataSource);
    }

    /**
     * Removes the offset that engine {@code connectorName} stored for the relay's slot if it is stale; returns why it
     * did, or empty.
     */
    public Optional<String> discardIfStale(String connectorName) {
        Optional<StoredOffset> stored = readStoredOffset(connectorName);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> reason = staleness(stored.get().lsn(), currentWalPosition(), slotExists());
        if (reason.isPresent()) {
            discard(stored.get(), connectorName);
            log.warn("Outbox relay discarded its stored offset for slot {} ({} in topic {}): {}. The engine starts at "
                            + "the slot's position instead; events the database writes from there on are relayed.",
                    relay.slotName(), StoredOffset.format(stored.get().lsn()), relay.offsets().topic(), reason.get());
        }
        return reason;
    }

    /** Why an offset at {@code storedLsn} cannot be resumed from, or empty when it can. */
    static Optional<String> staleness(long storedLsn, long serverLsn, boolean slotExists) {
        if (!slotExists) {
            return Optional.of("the replication slot does not exist (a restored or new cluster), so the offset"
                    + " belongs to a slot that is gone");
        }
        if (Long.compareUnsigned(storedLsn, serverLsn) > 0) {
            return Optional.of("it lies ahead of the server's current WAL position " + StoredOffset.format(serverLsn)
                    + ", so it was read from another WAL history (the database was restored)");
        }
        return Optional.empty();
    }

    private long currentWalPosition() {
        return db.sql("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint").query(Long.class).single();
    }

    private boolean slotExists() {
        return db.sql("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?").param(relay.slotName())
                .query(Long.class).single() > 0;
    }

    /** The newest record for this connector and slot in the offsets topic; empty if none or deleted. */
    private Optional<StoredOffset> readStoredOffset(String connectorName) {
        Map<String, Object> config = kafka.buildConsumerProperties();
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // The engine creates the offsets topic, compacted; one auto-created here would not be, and the engine refuses
        // to run on it.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, connectorName + "-offset-check");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<PartitionInfo> infos = consumer.partitionsFor(relay.offsets().topic(), KAFKA_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                return Optional.empty(); // the engine creates the topic on its first start
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, KAFKA_TIMEOUT);
            StoredOffset latest = null;
            long deadline = System.nanoTime() + KAFKA_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, KAFKA_TIMEOUT) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read topic " + relay.offsets().topic()
                            + " to its end within " + KAFKA_TIMEOUT);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (StoredOffset.isFor(record.key(), connectorName, relay.slotName())) {
                        latest = record.value() == null ? null
                                : StoredOffset.of(record.partition(), record.key(), record.value()).orElse(latest);
                    }
                }
            }
            return Optional.ofNullable(latest);
        }
    }

    /** A null value for the key deletes the offset: Kafka Connect's store reads it as "no offset". */
    private void discard(StoredOffset offset, String connectorName) {
        Map<String, Object> config = kafka.buildProducerProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.CLIENT_ID_CONFIG, connectorName + "-offset-check");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(relay.offsets().topic(), offset.partition(), offset.key(), null))
                    .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not delete the stale offset of slot " + relay.slotName() + " in "
                    + relay.offsets().topic(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while deleting the stale offset of slot " + relay.slotName(), e);
        }
    }
}
