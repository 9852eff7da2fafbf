package dev.taskscheduler.api.topic;

import dev.taskscheduler.model.EventHeaders;
import dev.taskscheduler.model.Topics;
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
import org.springframework.stereotype.Component;

/**
 * Copies a rejected submission record, unchanged, to {@code tasks.submissions.invalid} with the
 * reason and its origin in headers. The send is awaited so the source offset is committed only
 * once the copy is safe.
 */
@Component
class InvalidSubmissionPublisher {

    private static final Logger log = LoggerFactory.getLogger(InvalidSubmissionPublisher.class);
    private static final int MAX_REASON_LENGTH = 1000;

    private final KafkaTemplate<String, byte[]> kafka;

    InvalidSubmissionPublisher(KafkaTemplate<String, byte[]> kafka) {
        this.kafka = kafka;
    }

    void publish(ConsumerRecord<String, byte[]> source, String reason) {
        String origin = "%s/%d/%d".formatted(source.topic(), source.partition(), source.offset());
        String boundedReason = reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) : reason;
        ProducerRecord<String, byte[]> copy =
                new ProducerRecord<>(Topics.SUBMISSIONS_INVALID, null, source.key(), source.value());
        copy.headers().add(EventHeaders.REJECTION_REASON, boundedReason.getBytes(StandardCharsets.UTF_8));
        copy.headers().add(EventHeaders.REJECTION_SOURCE, origin.getBytes(StandardCharsets.UTF_8));
        try {
            kafka.send(copy).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while rejecting submission " + origin, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Could not publish rejected submission " + origin, e);
        }
        log.warn("Rejected submission {}: {}", origin, boundedReason);
    }
}
