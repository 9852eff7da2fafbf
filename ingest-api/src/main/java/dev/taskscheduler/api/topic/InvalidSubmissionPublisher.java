package dev.taskscheduler.api.topic;

import dev.taskscheduler.model.EventHeaders;
import dev.taskscheduler.model.Topics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
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
 * once the copy is safe. Counted by kind in {@code api_submission_records_rejected_total}.
 */
@Component
class InvalidSubmissionPublisher {

    private static final Logger log = LoggerFactory.getLogger(InvalidSubmissionPublisher.class);
    private static final int MAX_REASON_LENGTH = 1000;

    private final KafkaTemplate<String, byte[]> kafka;
    private final Map<RejectionKind, Counter> rejected = new EnumMap<>(RejectionKind.class);

    InvalidSubmissionPublisher(KafkaTemplate<String, byte[]> kafka, MeterRegistry registry) {
        this.kafka = kafka;
        for (RejectionKind kind : RejectionKind.values()) {
            rejected.put(kind, Counter.builder("api_submission_records_rejected")
                    .description("Records of tasks.submissions sent to tasks.submissions.invalid, by why: malformed "
                            + "(unreadable), invalid (breaks a rule), error (storing it kept failing)")
                    .tag("reason", kind.tag())
                    .register(registry));
        }
    }

    void publish(ConsumerRecord<String, byte[]> source, RejectionKind kind, String reason) {
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
        rejected.get(kind).increment();
        log.warn("Rejected submission {} ({}): {}", origin, kind.tag(), boundedReason);
    }
}
