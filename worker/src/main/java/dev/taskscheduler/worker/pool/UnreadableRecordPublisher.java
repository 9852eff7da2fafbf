package dev.taskscheduler.worker.pool;

import dev.taskscheduler.model.EventHeaders;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.worker.execution.WorkerMetrics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Copies a ready record that names no readable task to {@code tasks.dlq}, unchanged, with the reason
 * and its origin in headers, so it never blocks its partition and stays visible. There is no task
 * row to update, hence a direct write rather than the outbox. The send is awaited before the offset
 * moves on.
 */
class UnreadableRecordPublisher {

    static final String EVENT_TYPE = "UnreadableReadyRecord";
    private static final Logger log = LoggerFactory.getLogger(UnreadableRecordPublisher.class);

    private final KafkaTemplate<String, String> kafka;
    private final WorkerMetrics metrics;

    UnreadableRecordPublisher(KafkaTemplate<String, String> kafka, WorkerMetrics metrics) {
        this.kafka = kafka;
        this.metrics = metrics;
    }

    void publish(ConsumerRecord<String, String> source, String reason) {
        String origin = "%s/%d/%d".formatted(source.topic(), source.partition(), source.offset());
        ProducerRecord<String, String> copy = new ProducerRecord<>(Topics.DLQ, null, source.key(), source.value());
        copy.headers().add(EventHeaders.EVENT_TYPE, EVENT_TYPE.getBytes(StandardCharsets.UTF_8));
        copy.headers().add(EventHeaders.REJECTION_REASON, reason.getBytes(StandardCharsets.UTF_8));
        copy.headers().add(EventHeaders.REJECTION_SOURCE, origin.getBytes(StandardCharsets.UTF_8));
        try {
            kafka.send(copy).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while dead-lettering ready record " + origin, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Could not dead-letter ready record " + origin, e);
        }
        metrics.unreadable();
        log.error("Ready record {} (key {}) sent to {}: {}", origin, source.key(), Topics.DLQ, reason);
    }
}
