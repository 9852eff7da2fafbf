package dev.taskscheduler.api.lag;

/**
 * Lag of one consumer group on one partition.
 *
 * @param committedOffset the group's committed offset: the next record it will read
 * @param endOffset       the partition's log-end offset (high watermark), as Kafka's
 *                        {@code kafka-consumer-groups --describe} shows it
 * @param lag             records between the two; 0 when only transaction markers remain there (Kafka's
 *                        tool shows 1 for a consumer of a transactional topic that is caught up)
 * @param lagSeconds      age of the oldest unread record (its timestamp against now); 0 without lag
 */
public record PartitionLag(String group, String topic, int partition, long committedOffset, long endOffset, long lag,
        double lagSeconds) {
}
