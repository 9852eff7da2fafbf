package dev.taskscheduler.worker.pool;

import dev.taskscheduler.model.JsonSerde;
import dev.taskscheduler.model.ReadyTask;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.worker.execution.HandlerPool;
import dev.taskscheduler.worker.execution.TaskExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one ready topic (one pool and priority) on a thread of its own and hands the released tasks
 * to the executor, never more than its handler pool has free slots: a poll may bring many records,
 * and those beyond the free slots wait in a buffer, the consumer's partitions paused, until slots
 * free up. A paused consumer keeps polling, so it stays in its group however long the handlers run.
 *
 * <p>Offsets are committed once the records' tasks are claimed (from then on the claim, not the
 * record, keeps the task), every {@code commitInterval} and when partitions are revoked or the
 * consumer stops; buffered records are never committed, and those of a revoked partition are
 * dropped (its next owner reads them). Records delivered again after a crash find their tasks
 * claimed already. When the database cannot be reached, the records go back to the buffer and are
 * tried again after a pause that grows up to {@value #MAX_RETRY_PAUSE_MILLIS} ms.
 */
final class ReadyTopicConsumer implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ReadyTopicConsumer.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration POLL_WHILE_FULL = Duration.ofMillis(50);
    private static final long MAX_RETRY_PAUSE_MILLIS = 5_000;

    private final Consumer<String, String> consumer;
    private final String pool;
    private final TaskPriority priority;
    private final String topic;
    private final TaskExecutor executor;
    private final HandlerPool handlers;
    private final UnreadableRecordPublisher unreadable;
    private final Duration commitInterval;
    private final JsonSerde<ReadyTask> serde;
    private final Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
    /** Records polled but not yet handed over: more than the pool had slots for. */
    private final ReleaseBuffer buffered = new ReleaseBuffer();
    private final SlotWakeup slotWakeup;
    private volatile boolean running = true;
    private long lastCommit = System.nanoTime();
    private long retryPause = 0;

    ReadyTopicConsumer(Consumer<String, String> consumer, String pool, TaskPriority priority, TaskExecutor executor,
            UnreadableRecordPublisher unreadable, Duration commitInterval) {
        this.consumer = consumer;
        this.pool = pool;
        this.priority = priority;
        this.topic = Topics.ready(pool, priority);
        this.executor = executor;
        this.handlers = executor.pool(pool, priority);
        this.unreadable = unreadable;
        this.commitInterval = commitInterval;
        this.serde = Topics.readyRecords(pool, priority).valueSerde();
        // A slot freeing up while the consumer waits in a paused poll ends that wait.
        this.slotWakeup = new SlotWakeup(consumer::wakeup);
        this.handlers.onSlotFreed(slotWakeup::slotFreed);
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(topic), new CommitOnRevoke());
        try {
            while (running) {
                pollOnce();
            }
            commitOnStop();
        } catch (RuntimeException e) {
            log.error("Consumer of {} stopped", topic, e);
        } finally {
            consumer.close();
        }
    }

    /** Asks the loop to end; it commits what it claimed and closes the consumer. */
    void stop() {
        running = false;
        consumer.wakeup();
    }

    private void pollOnce() {
        int free = slotWakeup.freeSlots(handlers::freeSlots);
        // Nothing more is fetched while the pool is full or buffered records wait for slots.
        boolean hold = free <= 0 || !buffered.isEmpty();
        if (hold) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
        ConsumerRecords<String, String> records;
        try {
            records = consumer.poll(!hold ? POLL : free <= 0 ? POLL_WHILE_FULL : Duration.ZERO);
        } catch (WakeupException e) {
            return; // a slot freed up, or the consumer is stopping
        }
        buffered.add(records);
        if (free > 0 && !buffered.isEmpty()) {
            take(free);
        }
        commit(false);
    }

    /** Hands up to {@code free} buffered records to the executor, oldest first. */
    private void take(int free) {
        List<ConsumerRecord<String, String>> taken = buffered.take(free);
        List<ReadyTask> released = new ArrayList<>(taken.size());
        for (ConsumerRecord<String, String> record : taken) {
            ReadyTask ready = read(record);
            if (ready != null) {
                released.add(ready);
            }
        }
        try {
            executor.execute(pool, priority, released);
            retryPause = 0;
        } catch (RuntimeException e) {
            retryPause = Math.min(Math.max(retryPause * 2, 100), MAX_RETRY_PAUSE_MILLIS);
            log.warn("Released tasks of {} not claimed ({}); trying again in {} ms", topic, e.toString(), retryPause);
            buffered.putBack(taken);
            sleep(retryPause);
            return;
        }
        for (ConsumerRecord<String, String> record : taken) {
            toCommit.put(new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1));
        }
    }

    /** The ready task of a record, or null for one that names no readable task (it goes to the DLQ). */
    private ReadyTask read(ConsumerRecord<String, String> record) {
        try {
            ReadyTask ready = record.value() == null ? null
                    : serde.deserialize(record.topic(), record.value().getBytes(StandardCharsets.UTF_8));
            if (ready == null) {
                unreadable.publish(record, "ready record without a value");
            }
            return ready;
        } catch (SerializationException e) {
            unreadable.publish(record, "unreadable ready record: " + e.getMessage());
            return null;
        }
    }

    private void commitOnStop() {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                commit(true);
                return;
            } catch (WakeupException e) {
                // the stop request's own wakeup, still pending: commit again
            }
        }
    }

    private void commit(boolean now) {
        if (toCommit.isEmpty() || (!now && System.nanoTime() - lastCommit < commitInterval.toNanos())) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(toCommit);
        lastCommit = System.nanoTime();
        if (now) {
            consumer.commitSync(offsets);
            toCommit.clear();
        } else {
            toCommit.clear();
            consumer.commitAsync(offsets, (committed, failure) -> {
                if (failure != null) {
                    log.debug("Offsets of {} not committed ({}); the next commit covers them", topic,
                            failure.toString());
                }
            });
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Partitions leaving this consumer take their claimed offsets with them. */
    private final class CommitOnRevoke implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> revoked = forget(partitions);
            if (!revoked.isEmpty()) {
                commitRevoked(partitions, revoked);
            }
        }

        /**
         * A wakeup (a slot freed up) must not escape this callback: the consumer would give up the
         * rebalance half done and keep the partitions it was asked to give back.
         */
        private void commitRevoked(Collection<TopicPartition> partitions,
                Map<TopicPartition, OffsetAndMetadata> revoked) {
            for (int attempt = 0; attempt < 2; attempt++) {
                try {
                    consumer.commitSync(revoked);
                    return;
                } catch (WakeupException e) {
                    // a slot's wakeup, taken by this commit instead of the poll: commit again
                } catch (CommitFailedException | RebalanceInProgressException e) {
                    // The group moved on without this consumer: the next owner reads these releases
                    // again, and the claims (fenced in PostgreSQL) keep their tasks from running twice.
                    log.warn("Claimed offsets of {} not committed on revocation: {}", partitions, e.toString());
                    return;
                }
            }
        }

        /**
         * Partitions lost (this consumer was frozen or cut off past its session): the group has
         * given them to another member already, so nothing can be committed for them. Committing
         * anyway failed and stopped the consumer for good.
         */
        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> dropped = forget(partitions);
            log.warn("Lost partitions {} (session expired); {} claimed offsets left to the next owner", partitions,
                    dropped.size());
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }

        /**
         * Drops the buffered releases of {@code partitions}, moves each partition's position back to
         * its first dropped record, and returns the offsets claimed but not yet committed. The
         * position matters when the partition stays here after all (a rebalance cut short): read
         * on from where the poll left off, the dropped releases would be skipped and their tasks
         * never claimed. A partition that does leave takes its position with it, so the seek is
         * harmless then.
         */
        private Map<TopicPartition, OffsetAndMetadata> forget(Collection<TopicPartition> partitions) {
            buffered.drop(partitions).forEach((partition, offset) -> {
                try {
                    consumer.seek(partition, offset);
                } catch (IllegalStateException e) {
                    // no longer assigned: nothing to read again here
                }
            });
            Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = toCommit.remove(partition);
                if (offset != null) {
                    pending.put(partition, offset);
                }
            }
            return pending;
        }
    }
}
