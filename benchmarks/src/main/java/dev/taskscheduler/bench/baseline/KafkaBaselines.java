package dev.taskscheduler.bench.baseline;

import dev.taskscheduler.bench.Progress;
import dev.taskscheduler.bench.report.BaselineResult;
import dev.taskscheduler.bench.system.Kafka;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.TaskEvent;
import dev.taskscheduler.model.TaskPriority;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What the broker sustains for records the size of a task event: produce (acks=all) and consume
 * (read_committed) on a topic with the partitions of the system's topics.
 */
public final class KafkaBaselines {

    public static final String PRODUCE = "kafka-produce";
    public static final String CONSUME = "kafka-consume";

    private static final String TOPIC = "bench.baseline";
    private static final int PARTITIONS = 3;

    private final Kafka kafka;
    private final Progress progress;

    public KafkaBaselines(Kafka kafka, Progress progress) {
        this.kafka = kafka;
        this.progress = progress;
    }

    public List<BaselineResult> run(int records) throws Exception {
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
        }
        String value = Json.write(new TaskEvent(UUID.randomUUID(), "noop", 0, System.currentTimeMillis(),
                123_456L, TaskPriority.NORMAL));
        String detail = records + " records of " + value.length() + " bytes (a task.events value) with a 36-byte key, "
                + PARTITIONS + " partitions";

        long started = System.nanoTime();
        try (KafkaProducer<String, String> producer = kafka.producer()) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(TOPIC, UUID.randomUUID().toString(), value));
            }
            producer.flush();
        }
        double produce = records / seconds(started);
        progress.status("Kafka produce: %.0f records/s", produce);

        started = System.nanoTime();
        long read = 0;
        try (KafkaConsumer<String, String> consumer = kafka.consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(info -> new TopicPartition(TOPIC, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (read < records && seconds(started) < 120) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        double consume = read / seconds(started);
        progress.status("Kafka consume: %.0f records/s", consume);
        try (Admin admin = kafka.admin()) {
            admin.deleteTopics(List.of(TOPIC)).all().get();
        }
        return List.of(
                new BaselineResult(PRODUCE, "Kafka: produce, acks=all, one producer", produce, "records/s", detail),
                new BaselineResult(CONSUME, "Kafka: consume, read_committed, one consumer", consume, "records/s",
                        detail));
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
