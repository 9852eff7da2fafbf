package dev.taskscheduler.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every committed record of one topic from the beginning, without a consumer group (so no rebalance delay and
 * no committed offsets left behind). Each {@link #records()} call fetches what is new and returns all records read so
 * far, which suits condition polling:
 *
 * <pre>{@code
 * try (KafkaTestConsumer consumer = infrastructure.consumer("task-events")) {
 *     await().untilAsserted(() -> assertThat(consumer.records()).hasSize(2));
 * }
 * }</pre>
 */
public final class KafkaTestConsumer implements AutoCloseable {

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private final KafkaConsumer<String, String> consumer;
    private final String topic;
    private final List<ConsumedRecord> records = new ArrayList<>();

    public KafkaTestConsumer(String bootstrapServers, String topic) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Looking a topic up must not create it with default settings before the code under test does.
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "kafka-test-consumer-" + topic),
                new StringDeserializer(), new StringDeserializer());
    }

    /** Fetches new records (waiting up to 200 ms) and returns all read so far, in order within each partition. */
    public synchronized List<ConsumedRecord> records() {
        if (consumer.assignment().isEmpty() && !assignAllPartitions()) {
            return List.of(); // the topic does not exist yet
        }
        consumer.poll(POLL_TIMEOUT).forEach(record -> records.add(ConsumedRecord.of(record)));
        return List.copyOf(records);
    }

    public String topic() {
        return topic;
    }

    @Override
    public synchronized void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }

    private boolean assignAllPartitions() {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        if (partitions.isEmpty()) {
            return false;
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return true;
    }
}
