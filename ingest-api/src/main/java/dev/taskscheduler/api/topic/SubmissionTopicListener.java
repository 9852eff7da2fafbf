package dev.taskscheduler.api.topic;

import dev.taskscheduler.api.submission.BatchItemOutcome;
import dev.taskscheduler.api.submission.IdempotencyConflictException;
import dev.taskscheduler.api.submission.SubmissionResult;
import dev.taskscheduler.api.submission.TaskSubmissionService;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import dev.taskscheduler.model.submission.TaskSubmission;
import java.util.ArrayList;
import java.util.List;
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
 * <p>Each poll's records are stored in one transaction ({@link TaskSubmissionService#submitAll}):
 * one commit per poll instead of one per record. The listener returns only after that commit, and
 * the container commits the offsets after that, so an accepted record is never lost. A redelivered
 * record carries the same idempotency key (its own, the record key, or else its
 * topic/partition/offset) and so creates no second task. A record that can never be accepted goes
 * to {@code tasks.submissions.invalid} and the partition moves on; a failure that may pass
 * (database down) makes the container's error handler retry the poll without committing offsets.
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
            topics = Topics.SUBMISSIONS, batch = "true")
    void onSubmissions(List<ConsumerRecord<String, byte[]>> records) {
        List<ConsumerRecord<String, byte[]>> readable = new ArrayList<>(records.size());
        List<TaskSubmission> parsed = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                parsed.add(parse(record));
                readable.add(record);
            } catch (JacksonException e) {
                invalid.publish(record, "malformed JSON: " + e.getOriginalMessage());
            } catch (IllegalArgumentException e) {
                invalid.publish(record, "malformed record: " + e.getMessage());
            }
        }
        if (parsed.isEmpty()) {
            return;
        }
        List<BatchItemOutcome> outcomes;
        try {
            outcomes = submissions.submitAll(parsed);
        } catch (DataIntegrityViolationException e) {
            // One row the database refuses rolls the whole poll back: store them one by one instead.
            for (int i = 0; i < readable.size(); i++) {
                submitOne(readable.get(i), parsed.get(i));
            }
            return;
        }
        for (int i = 0; i < readable.size(); i++) {
            BatchItemOutcome outcome = outcomes.get(i);
            if (outcome.rejection() != null) {
                invalid.publish(readable.get(i), outcome.rejection().getMessage());
            } else {
                logAccepted(readable.get(i), outcome.result());
            }
        }
    }

    private void submitOne(ConsumerRecord<String, byte[]> record, TaskSubmission submission) {
        try {
            logAccepted(record, submissions.submit(submission));
        } catch (InvalidSubmissionException | IdempotencyConflictException e) {
            invalid.publish(record, e.getMessage());
        } catch (DataIntegrityViolationException e) {
            invalid.publish(record, "rejected by the database: " + e.getMostSpecificCause().getMessage());
        }
    }

    private static void logAccepted(ConsumerRecord<String, byte[]> record, SubmissionResult result) {
        log.debug("Accepted task {} from {}-{}@{} (new: {})", result.task().id(), record.topic(),
                record.partition(), record.offset(), result.created());
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
