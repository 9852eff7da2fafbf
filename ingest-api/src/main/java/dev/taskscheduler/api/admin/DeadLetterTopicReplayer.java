package dev.taskscheduler.api.admin;

import dev.taskscheduler.api.security.Caller;
import dev.taskscheduler.api.submission.SubmissionResult;
import dev.taskscheduler.api.submission.TaskSubmissionService;
import dev.taskscheduler.model.EventHeaders;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.model.submission.TaskSubmission;
import dev.taskscheduler.store.DeadLetterFilter;
import dev.taskscheduler.store.DeadLetterRepository;
import dev.taskscheduler.store.TaskRepository;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Replays dead letters straight from {@code tasks.dlq}, for records whose task row is gone
 * (purged, or a restored database): each becomes a new task from the record's type, payload and
 * retry budget, submitted with the idempotency key {@code dlq-topic-replay:<original id>}, so a
 * repeated replay creates it once. Records whose task still exists are left to the normal replay,
 * and records of task types outside the caller's reach are passed over.
 *
 * <p>Memory stays bounded however large the topic: records are checked against the table one poll
 * at a time, and only the orphans found so far (at most {@code limit}) are kept.
 */
@Service
public class DeadLetterTopicReplayer {

    /** Upper bound of records read per request. */
    static final int MAX_SCANNED = 100_000;
    private static final int MAX_POLL_RECORDS = 500;
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Logger log = LoggerFactory.getLogger(DeadLetterTopicReplayer.class);

    private final KafkaProperties kafka;
    private final TaskRepository tasks;
    private final TaskSubmissionService submissions;
    private final DeadLetterRepository audit;

    public DeadLetterTopicReplayer(KafkaProperties kafka, TaskRepository tasks, TaskSubmissionService submissions,
            DeadLetterRepository audit) {
        this.kafka = kafka;
        this.tasks = tasks;
        this.submissions = submissions;
        this.audit = audit;
    }

    /**
     * @param taskIds only records of these original tasks (empty: every record whose row is gone)
     * @param limit   at most this many new tasks
     * @param caller  whose reach limits the task types, and who is named in the audit row
     */
    public TopicReplayResult replay(List<UUID> taskIds, int limit, boolean dryRun, Caller caller) {
        Set<UUID> wanted = taskIds == null ? Set.of() : Set.copyOf(taskIds);
        Map<UUID, JsonNode> orphans = new LinkedHashMap<>();
        int scanned = scan(batch -> {
            Map<UUID, JsonNode> candidates = new LinkedHashMap<>();
            for (ConsumerRecord<String, String> record : batch) {
                JsonNode dead = readable(record);
                if (dead != null && caller.reaches(dead.path("type").asString())) {
                    UUID id = UUID.fromString(dead.path("taskId").asString());
                    if (wanted.isEmpty() || wanted.contains(id)) {
                        candidates.put(id, dead);
                    }
                }
            }
            // One query per poll rather than one per record.
            Set<UUID> present = candidates.isEmpty() ? Set.of() : tasks.existingIds(candidates.keySet());
            candidates.forEach((id, dead) -> {
                if (!present.contains(id) && (orphans.containsKey(id) || orphans.size() < limit)) {
                    orphans.put(id, dead);
                }
            });
            return orphans.size() < limit;
        });
        List<UUID> created = new ArrayList<>();
        if (!dryRun) {
            orphans.forEach((id, dead) -> {
                Integer maxRetries = dead.path("maxRetries").isNumber() ? dead.path("maxRetries").asInt() : null;
                SubmissionResult result = submissions.submit(new TaskSubmission(dead.path("type").asString(),
                        dead.path("payload"), null, null, maxRetries, null, null, "dlq-topic-replay:" + id,
                        dead.hasNonNull("priority") ? dead.get("priority").asString() : null));
                created.add(result.task().id());
            });
        }
        DeadLetterFilter described = new DeadLetterFilter(List.copyOf(wanted), null, "source: " + Topics.DLQ, null,
                null, limit, caller.taskTypes());
        long replayId = audit.audit(caller.name(), described, dryRun, orphans.size(), created.size());
        return new TopicReplayResult(replayId, dryRun, scanned, orphans.size(), List.copyOf(orphans.keySet()), created);
    }

    /** A dead-letter record's JSON, or null for anything else (other event types, unreadable values). */
    private static JsonNode readable(ConsumerRecord<String, String> record) {
        Header type = record.headers().lastHeader(EventHeaders.EVENT_TYPE);
        if (type == null || !"TaskDeadLettered".equals(new String(type.value(), StandardCharsets.UTF_8))
                || record.value() == null) {
            return null;
        }
        try {
            JsonNode dead = Json.mapper().readTree(record.value());
            UUID.fromString(dead.path("taskId").asString());
            return dead.path("type").isString() ? dead : null;
        } catch (RuntimeException e) {
            log.warn("Skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.toString());
            return null;
        }
    }

    /**
     * Reads tasks.dlq from the start up to its current end, one poll at a time, until the topic's
     * end, {@link #MAX_SCANNED} records, or {@code onBatch} answers false; returns how many records
     * were read.
     */
    private int scan(Predicate<Iterable<ConsumerRecord<String, String>>> onBatch) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DLQ).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            int scanned = 0;
            boolean more = true;
            while (more && scanned < MAX_SCANNED
                    && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                ConsumerRecords<String, String> batch = consumer.poll(POLL);
                scanned += batch.count();
                more = onBatch.test(batch);
            }
            return scanned;
        }
    }
}
