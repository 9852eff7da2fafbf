package dev.taskscheduler.api.topic;

import dev.taskscheduler.api.IngestProperties;
import dev.taskscheduler.api.submission.BatchItemOutcome;
import dev.taskscheduler.api.submission.IncomingSubmission;
import dev.taskscheduler.api.submission.SubmissionResult;
import dev.taskscheduler.api.submission.TaskSubmissionService;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.model.submission.TaskSubmission;
import dev.taskscheduler.store.TransientFailures;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;

/**
 * Creates tasks from JSON records on {@code tasks.submissions}, through the same service as REST.
 *
 * <p>Each poll's records are stored in one transaction ({@link TaskSubmissionService#submitReceived}):
 * one commit per poll instead of one per record. One consumer serves all partitions of the
 * instance, so that at moderate rates a poll gathers what every partition received meanwhile. A
 * large poll (a backlog) is cut into a few slices stored side by side, each in its own transaction
 * ({@link PollSlices}). The listener returns only after every slice has committed, and the container
 * commits the offsets after that, so an accepted record is never lost. A redelivered record carries
 * the same idempotency key (its own, the record key, or else its topic/partition/offset) and so
 * creates no second task.
 *
 * <p>Nothing a record holds can stop the partition: a record that can never be accepted goes to
 * {@code tasks.submissions.invalid} with the reason, and the partition moves on. When a poll cannot
 * be stored together for a reason that is not an outage, its records are stored one by one, each
 * tried a few times, and a record that still fails goes to the invalid topic too. Only a failure
 * that may pass by itself (database unreachable) makes the container retry the poll, with backoff
 * and without committing offsets, for as long as it lasts.
 *
 * <p>Each record is judged as of its timestamp (when it was produced, at the latest now): a consumer
 * that was down for a day neither rejects nor postpones work that was valid when it was sent.
 */
@Component
class SubmissionTopicListener implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SubmissionTopicListener.class);
    /** Attempts at storing one record that keeps failing for no reason the validation found. */
    static final int MAX_ATTEMPTS_PER_RECORD = 3;

    private final TaskSubmissionService submissions;
    private final InvalidSubmissionPublisher invalid;
    private final Clock clock;
    private final PollSlices slices;
    /** Writes the slices of a poll after its first; the listener's own thread writes the first. */
    private final ExecutorService sliceWriters;
    private final long fetchMaxWaitMillis;

    SubmissionTopicListener(TaskSubmissionService submissions, InvalidSubmissionPublisher invalid,
            IngestProperties properties) {
        this.submissions = submissions;
        this.invalid = invalid;
        this.clock = Clock.systemUTC();
        this.slices = PollSlices.forPoll(properties.submissionWriters(), properties.submissionMaxPollRecords());
        int helpers = properties.submissionConsumers() * (properties.submissionWriters() - 1);
        this.sliceWriters = helpers == 0 ? null
                : Executors.newFixedThreadPool(helpers, new CustomizableThreadFactory("submissions-writer-"));
        this.fetchMaxWaitMillis = properties.submissionFetchMaxWait().toMillis();
    }

    /** The consumer's {@code fetch.max.wait.ms} ({@code scheduler.ingest.submission-fetch-max-wait}). */
    public long fetchMaxWaitMillis() {
        return fetchMaxWaitMillis;
    }

    @Override
    public void destroy() {
        if (sliceWriters != null) {
            sliceWriters.shutdown();
        }
    }

    @KafkaListener(id = "submissions", groupId = "${scheduler.ingest.submissions-group:api-server-submissions}",
            topics = Topics.SUBMISSIONS, batch = "true",
            concurrency = "${scheduler.ingest.submission-consumers:1}",
            properties = {"max.poll.records=${scheduler.ingest.submission-max-poll-records:1500}",
                    "fetch.max.wait.ms=#{__listener.fetchMaxWaitMillis()}"})
    void onSubmissions(List<ConsumerRecord<String, byte[]>> records) {
        List<PollSlices.Slice> cut = slices.cut(records.size());
        if (cut.size() <= 1) {
            store(records);
            return;
        }
        List<Future<?>> others = new ArrayList<>(cut.size() - 1);
        for (PollSlices.Slice slice : cut.subList(1, cut.size())) {
            others.add(sliceWriters.submit(() -> store(records.subList(slice.from(), slice.to()))));
        }
        RuntimeException failure = null;
        try {
            store(records.subList(cut.get(0).from(), cut.get(0).to()));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> other : others) {
            try {
                awaitUninterruptibly(other);
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException(e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Reads records and stores the readable ones in one transaction (one by one if refused together). */
    private void store(List<ConsumerRecord<String, byte[]>> records) {
        List<ConsumerRecord<String, byte[]>> readable = new ArrayList<>(records.size());
        List<IncomingSubmission> parsed = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                parsed.add(new IncomingSubmission(parse(record), receivedAt(record)));
                readable.add(record);
            } catch (JacksonException e) {
                invalid.publish(record, RejectionKind.MALFORMED, "malformed JSON: " + e.getOriginalMessage());
            } catch (RuntimeException e) {
                invalid.publish(record, RejectionKind.MALFORMED, "malformed record: " + e.getMessage());
            }
        }
        if (!parsed.isEmpty()) {
            storeTogether(readable, parsed);
        }
    }

    /** Stores records in one transaction, or one by one when the database refuses them together. */
    private void storeTogether(List<ConsumerRecord<String, byte[]>> readable, List<IncomingSubmission> parsed) {
        List<BatchItemOutcome> outcomes;
        try {
            outcomes = submissions.submitReceived(parsed);
        } catch (RuntimeException e) {
            if (TransientFailures.isTransient(e)) {
                log.warn("Storing {} submissions failed; the poll is retried: {}", parsed.size(), e.toString());
                throw e;
            }
            // One record the database refuses rolls the whole poll back: store them one by one instead.
            log.warn("Storing {} submissions together failed; storing them one by one: {}", parsed.size(),
                    e.toString());
            for (int i = 0; i < readable.size(); i++) {
                submitOne(readable.get(i), parsed.get(i));
            }
            return;
        }
        for (int i = 0; i < readable.size(); i++) {
            settle(readable.get(i), outcomes.get(i));
        }
    }

    private void submitOne(ConsumerRecord<String, byte[]> record, IncomingSubmission submission) {
        for (int attempt = 1; ; attempt++) {
            try {
                settle(record, submissions.submitReceived(List.of(submission)).get(0));
                return;
            } catch (RuntimeException e) {
                if (TransientFailures.isTransient(e)) {
                    throw e;
                }
                if (attempt >= MAX_ATTEMPTS_PER_RECORD) {
                    log.error("Submission {} could not be stored after {} attempts; sent to {}", origin(record),
                            attempt, Topics.SUBMISSIONS_INVALID, e);
                    invalid.publish(record, RejectionKind.ERROR,
                            "could not be stored: " + NestedExceptionUtils.getMostSpecificCause(e));
                    return;
                }
            }
        }
    }

    private void settle(ConsumerRecord<String, byte[]> record, BatchItemOutcome outcome) {
        if (outcome.rejection() != null) {
            invalid.publish(record, RejectionKind.INVALID, outcome.rejection().getMessage());
        } else {
            logAccepted(record, outcome.result());
        }
    }

    /** Waits for a slice even when interrupted: a poll is retried only once no slice of it is still writing. */
    private static void awaitUninterruptibly(Future<?> slice) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    slice.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** When the record was produced, but never later than now (a producer's clock may run ahead). */
    private Instant receivedAt(ConsumerRecord<String, byte[]> record) {
        Instant now = clock.instant();
        if (record.timestamp() <= 0) {
            return now;
        }
        Instant produced = Instant.ofEpochMilli(record.timestamp());
        return produced.isAfter(now) ? now : produced;
    }

    private static void logAccepted(ConsumerRecord<String, byte[]> record, SubmissionResult result) {
        // origin() formats a string: not for every record when debug is off (it showed in the profile).
        if (log.isDebugEnabled()) {
            log.debug("Accepted task {} from {} (new: {})", result.task().id(), origin(record), result.created());
        }
    }

    private static String origin(ConsumerRecord<String, byte[]> record) {
        return "%s-%d@%d".formatted(record.topic(), record.partition(), record.offset());
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
