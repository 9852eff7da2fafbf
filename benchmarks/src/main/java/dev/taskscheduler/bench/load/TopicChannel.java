package dev.taskscheduler.bench.load;

import dev.taskscheduler.bench.measure.TaskLookup;
import dev.taskscheduler.bench.system.Kafka;
import dev.taskscheduler.model.Topics;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Noop tasks as keyed records on {@code tasks.submissions}; the handle is the record key, which the
 * api-server stores as the task's idempotency key. Accepted means acknowledged by the broker
 * (acks=all): the row exists only once the api-server has consumed the record.
 */
public final class TopicChannel implements Channel {

    private final KafkaProducer<String, String> producer;
    private final String keyPrefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private final AtomicLong keys = new AtomicLong();

    public TopicChannel(Kafka kafka) {
        this.producer = kafka.producer();
    }

    @Override
    public String name() {
        return "topic";
    }

    @Override
    public TaskLookup lookup() {
        return TaskLookup.BY_KEY;
    }

    @Override
    public CompletableFuture<String> send(long sequence) {
        String key = keyPrefix + keys.incrementAndGet();
        CompletableFuture<String> acknowledged = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(Topics.SUBMISSIONS, key, Submissions.noopNow(sequence)),
                (metadata, failure) -> {
                    if (failure == null) {
                        acknowledged.complete(key);
                    } else {
                        acknowledged.completeExceptionally(failure);
                    }
                });
        return acknowledged;
    }

    @Override
    public void close() {
        producer.close();
    }
}
