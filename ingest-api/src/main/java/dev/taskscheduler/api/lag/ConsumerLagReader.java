package dev.taskscheduler.api.lag;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the lag of consumer groups the way {@code kafka-consumer-groups --describe} does: committed
 * offsets of the group against the log-end offsets of the same partitions. For each partition
 * with lag it also reads the record at the committed offset, whose timestamp tells how long the
 * oldest unread record has waited.
 *
 * <p>Not thread-safe: the consumer belongs to the one thread that calls {@link #read}.
 */
class ConsumerLagReader {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLagReader.class);

    private final Admin admin;
    private final Consumer<byte[], byte[]> consumer;
    private final LagProperties properties;
    private final Clock clock;

    ConsumerLagReader(Admin admin, Consumer<byte[], byte[]> consumer, LagProperties properties, Clock clock) {
        this.admin = admin;
        this.consumer = consumer;
        this.properties = properties;
        this.clock = clock;
    }

    /** The configured groups plus every existing group with one of the configured prefixes. */
    Set<String> watchedGroups() throws Exception {
        Set<String> groups = new TreeSet<>(properties.groups());
        for (GroupListing listing : await(admin.listGroups().all())) {
            if (properties.groupPrefixes().stream().anyMatch(prefix -> listing.groupId().startsWith(prefix))) {
                groups.add(listing.groupId());
            }
        }
        return groups;
    }

    List<PartitionLag> read() throws Exception {
        Set<String> groups = watchedGroups();
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        groups.forEach(group -> specs.put(group, new ListConsumerGroupOffsetsSpec()));
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed =
                await(admin.listConsumerGroupOffsets(specs).all());

        Set<TopicPartition> partitions = new HashSet<>();
        committed.values().forEach(offsets -> offsets.forEach((partition, offset) -> {
            if (offset != null) {
                partitions.add(partition);
            }
        }));
        Map<TopicPartition, Long> ends = endOffsets(partitions);

        List<PartitionLag> lags = new ArrayList<>();
        for (var group : committed.entrySet()) {
            // Committed offsets of lagging partitions: where the oldest unread record of this group is.
            Map<TopicPartition, Long> unread = new HashMap<>();
            group.getValue().forEach((partition, offset) -> {
                Long end = ends.get(partition);
                if (offset != null && end != null && end > offset.offset()) {
                    unread.put(partition, offset.offset());
                }
            });
            Map<TopicPartition, Long> timestamps = new HashMap<>();
            Set<TopicPartition> markersOnly = new HashSet<>();
            peekOldestUnread(unread, ends, timestamps, markersOnly);
            long now = clock.millis();
            group.getValue().forEach((partition, offset) -> {
                Long end = ends.get(partition);
                if (offset == null || end == null) {
                    return; // no committed offset (Kafka's tool shows "-"), or the topic is gone
                }
                // A transactional producer (the scheduler) ends each transaction with a marker; a
                // consumer commits the offset after its last record, before that marker. Nothing
                // is left to read there, so that is no lag.
                long lag = markersOnly.contains(partition) ? 0 : Math.max(0, end - offset.offset());
                Long timestamp = lag > 0 ? timestamps.get(partition) : null;
                double seconds = timestamp == null ? 0 : Math.max(0, now - timestamp) / 1000.0;
                lags.add(new PartitionLag(group.getKey(), partition.topic(), partition.partition(), offset.offset(),
                        end, lag, seconds));
            });
        }
        return lags;
    }

    private Map<TopicPartition, Long> endOffsets(Set<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        ListOffsetsResult result = admin.listOffsets(latest);
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (TopicPartition partition : partitions) {
            try {
                ends.put(partition, await(result.partitionResult(partition)).offset());
            } catch (ExecutionException e) {
                // A deleted topic still has committed offsets; it has no lag to speak of.
                log.debug("No end offset for {}: {}", partition, e.getCause().toString());
            }
        }
        return ends;
    }

    /**
     * Puts the timestamp of the first record at or after each given offset into {@code timestamps},
     * and the partitions where only transaction markers or aborted records remain up to the end
     * offset into {@code markersOnly}. The consumer reads committed records only, as the
     * system's consumers do.
     */
    private void peekOldestUnread(Map<TopicPartition, Long> offsets, Map<TopicPartition, Long> ends,
            Map<TopicPartition, Long> timestamps, Set<TopicPartition> markersOnly) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.assign(offsets.keySet());
            offsets.forEach(consumer::seek);
            Set<TopicPartition> open = new HashSet<>(offsets.keySet());
            long deadline = System.nanoTime() + properties.fetchTimeout().toNanos();
            while (!open.isEmpty() && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                for (TopicPartition partition : records.partitions()) {
                    List<ConsumerRecord<byte[], byte[]>> fetched = records.records(partition);
                    if (open.remove(partition) && !fetched.isEmpty()) {
                        timestamps.put(partition, fetched.get(0).timestamp());
                        consumer.pause(List.of(partition));
                    }
                }
                for (TopicPartition partition : Set.copyOf(open)) {
                    if (consumer.position(partition) >= ends.get(partition)) {
                        open.remove(partition);
                        markersOnly.add(partition);
                    }
                }
            }
            if (!open.isEmpty()) {
                log.debug("No record read within {} from {}", properties.fetchTimeout(), open);
            }
        } finally {
            consumer.unsubscribe();
        }
    }

    private <T> T await(KafkaFuture<T> future)
            throws ExecutionException, InterruptedException, TimeoutException {
        return future.get(properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
}
