package dev.taskscheduler.worker.pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Ready records a consumer has polled but not yet handed to its handler pool, oldest first. The
 * consumer's position is already past them, so whoever drops them must say where each partition
 * has to be read again from: a partition the group takes away may stay with this consumer after
 * all (a revocation cut short by a wakeup leaves the assignment as it was), and reading on from
 * the position would skip the dropped records, their tasks never claimed.
 */
final class ReleaseBuffer {

    private final Deque<ConsumerRecord<String, String>> records = new ArrayDeque<>();

    void add(Iterable<ConsumerRecord<String, String>> polled) {
        polled.forEach(records::add);
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    int size() {
        return records.size();
    }

    /** Removes and returns up to {@code max} records, oldest first. */
    List<ConsumerRecord<String, String>> take(int max) {
        List<ConsumerRecord<String, String>> taken = new ArrayList<>(Math.min(max, records.size()));
        while (taken.size() < max && !records.isEmpty()) {
            taken.add(records.poll());
        }
        return taken;
    }

    /** Puts records taken but not handed over back in front, in their order. */
    void putBack(List<ConsumerRecord<String, String>> taken) {
        for (int i = taken.size() - 1; i >= 0; i--) {
            records.addFirst(taken.get(i));
        }
    }

    /**
     * Drops the records of {@code partitions} and returns, for each partition that had any, the
     * offset of its first dropped record: where reading must resume for none of them to be skipped.
     */
    Map<TopicPartition, Long> drop(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> resumeAt = new HashMap<>();
        for (Iterator<ConsumerRecord<String, String>> it = records.iterator(); it.hasNext(); ) {
            ConsumerRecord<String, String> record = it.next();
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (partitions.contains(partition)) {
                resumeAt.merge(partition, record.offset(), Math::min);
                it.remove();
            }
        }
        return resumeAt;
    }
}
