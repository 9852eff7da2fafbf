package dev.taskscheduler.api.admin;

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
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Replays dead letters straight from {@code tasks.dlq}, for records whose task row is gone
 * (purged, or a restored database): each becomes a new task from the record's type, payload and
 * retry budget, submitted with the idempotency key {@code dlq-topic-replay:<original id>}, so a
 * repeated replay creates it once. Records whose task still exists are left to the normal replay.
 */
@Service
public class DeadLetterTopicReplayer {

    /** Upper bound of records read per request. */
    static final int MAX_SCANNED = 100_000;
    private static final Duration POLL = Duration.ofMillis(500);

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
     */
    public Map<String, Object> replay(List<UUID> taskIds, int limit, boolean dryRun, String requestedBy) {
        Set<UUID> wanted = taskIds == null ? Set.of() : Set.copyOf(taskIds);
        Map<UUID, JsonNode> candidates = new LinkedHashMap<>();
        int scanned = scan(record -> {
            JsonNode dead = Json.mapper().readTree(record.value());
            UUID id = UUID.fromString(dead.path("taskId").asString());
            if (wanted.isEmpty() || wanted.contains(id)) {
                candidates.put(id, dead);
            }
        });
        // One query for all candidates rather than one per record read.
        Set<UUID> present = tasks.existingIds(candidates.keySet());
        Map<UUID, JsonNode> orphans = new LinkedHashMap<>();
        candidates.forEach((id, dead) -> {
            if (!present.contains(id) && orphans.size() < limit) {
                orphans.put(id, dead);
            }
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
                null, limit);
        long replayId = audit.audit(requestedBy, described, dryRun, orphans.size(), created.size());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("replayId", replayId);
        result.put("dryRun", dryRun);
        result.put("scanned", scanned);
        result.put("matched", orphans.size());
        result.put("originalTaskIds", List.copyOf(orphans.keySet()));
        result.put("createdTaskIds", created);
        return result;
    }

    /** Reads tasks.dlq from the start up to its current end; returns how many records were read. */
    private int scan(Consumer<ConsumerRecord<String, String>> onDeadLetter) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DLQ).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            int scanned = 0;
            while (scanned < MAX_SCANNED && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    scanned++;
                    Header type = record.headers().lastHeader(EventHeaders.EVENT_TYPE);
                    if (type != null && "TaskDeadLettered".equals(new String(type.value(), StandardCharsets.UTF_8))
                            && record.value() != null) {
                        onDeadLetter.accept(record);
                    }
                }
            }
            return scanned;
        }
    }
}
