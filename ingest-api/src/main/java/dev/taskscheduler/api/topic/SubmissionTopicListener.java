package dev.taskscheduler.api.topic;

import dev.taskscheduler.api.submission.IdempotencyConflictException;
import dev.taskscheduler.api.submission.SubmissionResult;
import dev.taskscheduler.api.submission.TaskSubmissionService;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import dev.taskscheduler.model.submission.TaskSubmission;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;

/**
 * Creates tasks from JSON records on {@code tasks.submissions}, through the same service as REST.
 *
 * <p>The listener returns only after the database commit, and the container commits the offset
 * after that, so an accepted record is never lost. A redelivered record carries the same
 * idempotency key (its own, the record key, or else its topic/partition/offset) and so creates no
 * second task. A record that can never be accepted goes to {@code tasks.submissions.invalid} and
 * the partition moves on; a failure that may pass (database down) is retried by the container's
 * error handler without committing the offset.
 */
@Component
class SubmissionTopicListener {

    private static final Logger log = LoggerFactory.getLogger(SubmissionTopicListener.class);

    private final TaskSubmissionService submissions;
    private final InvalidSubmissionPublisher invalid;

    SubmissionTopicListener(TaskSubmissionService submissions, InvalidSubmissionPublisher invalid) {
        this.submissions = submissions;
        this.invalid = invalid;
    }

    @KafkaListener(id = "submissions", groupId = "${scheduler.ingest.submissions-group:api-server-submissions}",
            topics = Topics.SUBMISSIONS)
    void onSubmission(ConsumerRecord<String, byte[]> record) {
        TaskSubmission submission;
        try {
            submission = parse(record);
        } catch (JacksonException e) {
            invalid.publish(record, "malformed JSON: " + e.getOriginalMessage());
            return;
        } catch (IllegalArgumentException e) {
            invalid.publish(record, "malformed record: " + e.getMessage());
            return;
        }
        try {
            SubmissionResult result = submissions.submit(submission);
            log.debug("Accepted task {} from {}-{}@{} (new: {})", result.task().id(), record.topic(),
                    record.partition(), record.offset(), result.created());
        } catch (InvalidSubmissionException e) {
            invalid.publish(record, e.getMessage());
        } catch (IdempotencyConflictException e) {
            invalid.publish(record, e.getMessage());
        } catch (DataIntegrityViolationException e) {
            invalid.publish(record, "rejected by the database: " + e.getMostSpecificCause().getMessage());
        }
    }

    private static TaskSubmission parse(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null || record.value().length == 0) {
            throw new IllegalArgumentException("empty record value");
        }
        TaskSubmission submission = Json.read(record.value(), TaskSubmission.class);
        if (submission == null) {
            throw new IllegalArgumentException("record value is JSON null");
        }
        if (submission.idempotencyKey() != null) {
            return submission;
        }
        String key = record.key() != null
                ? record.key()
                : "kafka:%s:%d:%d".formatted(record.topic(), record.partition(), record.offset());
        return submission.withIdempotencyKey(key);
    }
}
