package dev.taskscheduler.scheduler.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.model.EventHeaders;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.ReadyTask;
import dev.taskscheduler.model.TaskEvent;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.testsupport.ConsumedRecord;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.KafkaTestConsumer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Timers written to {@code task.events} exactly as the outbox relay writes them, and every release of
 * those tasks read back from the ready topic (committed records only).
 */
final class TimerLoad implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final KafkaTestConsumer ready;
    private final Set<UUID> tasks = new HashSet<>();
    private long version = System.currentTimeMillis() * 1000;

    TimerLoad(Infrastructure infrastructure) {
        infrastructure.createTopic(Topics.TASK_EVENTS, 3);
        infrastructure.createTopic(Topics.ready("default"), 3);
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
        this.ready = infrastructure.consumer(Topics.ready("default"));
    }

    /** {@code count} timers due at random times between {@code from} and {@code to} from now. */
    List<UUID> schedule(int count, Duration from, Duration to) {
        Instant now = Instant.now();
        List<UUID> scheduled = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long offset = ThreadLocalRandom.current().nextLong(from.toMillis(), to.toMillis() + 1);
            UUID task = UUID.randomUUID();
            TaskEvent event = new TaskEvent(task, "noop", 0, now.plusMillis(offset).toEpochMilli(), ++version,
                    TaskPriority.NORMAL);
            ProducerRecord<String, String> record =
                    new ProducerRecord<>(Topics.TASK_EVENTS, task.toString(), Json.write(event));
            record.headers()
                    .add(EventHeaders.EVENT_TYPE, TaskEvent.SCHEDULED.getBytes(StandardCharsets.UTF_8))
                    .add(EventHeaders.EVENT_ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            producer.send(record);
            scheduled.add(task);
        }
        producer.flush();
        tasks.addAll(scheduled);
        return scheduled;
    }

    /** Releases of this load's tasks read so far, in the order read. */
    List<ReadyTask> releases() {
        return ready.records().stream()
                .map(ConsumedRecord::value)
                .map(value -> Json.read(value, ReadyTask.class))
                .filter(release -> tasks.contains(release.taskId()))
                .toList();
    }

    /** Every task released once, none before it was due. */
    static void assertEachReleasedOnceOnTime(List<UUID> expected, List<ReadyTask> releases) {
        assertThat(releases).extracting(ReadyTask::taskId).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(releases).allSatisfy(release -> assertThat(release.releasedAt())
                .as("release of %s", release.taskId()).isGreaterThanOrEqualTo(release.runAt()));
    }

    @Override
    public void close() {
        producer.close();
        ready.close();
    }
}
