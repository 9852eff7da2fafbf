package dev.taskscheduler.localinfra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaTest {

    @TempDir
    Path dataDir;

    @Test
    void transactionalProducerAndReadCommittedConsumerGroupWork() throws Exception {
        try (LocalKafka kafka = LocalKafka.start(dataDir, 0)) {
            createTopic(kafka, "orders", 3);

            try (KafkaProducer<String, String> producer = transactionalProducer(kafka)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("orders", "k1", "committed"));
                producer.commitTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("orders", "k2", "aborted"));
                producer.flush();
                producer.abortTransaction();
            }

            try (KafkaConsumer<String, String> consumer = readCommittedConsumer(kafka, "orders-readers")) {
                consumer.subscribe(List.of("orders"));
                List<ConsumerRecord<String, String>> received = pollUntilCount(consumer, 1);
                assertThat(received).extracting(ConsumerRecord::value).containsExactly("committed");
                consumer.commitSync(); // exercises the group coordinator and __consumer_offsets
            }
        }
    }

    @Test
    void restartOnSameDirectoryAndPortKeepsTopicsAndRecords() throws Exception {
        int port;
        try (LocalKafka kafka = LocalKafka.start(dataDir, 0)) {
            port = kafka.port();
            createTopic(kafka, "durable", 1);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("durable", "k", "survives restart")).get();
            }
        }

        try (LocalKafka kafka = LocalKafka.start(dataDir, port)) {
            assertThat(kafka.bootstrapServers()).isEqualTo("localhost:" + port);
            try (Admin admin = admin(kafka)) {
                assertThat(admin.listTopics().names().get()).contains("durable");
            }
            try (KafkaConsumer<String, String> consumer = readCommittedConsumer(kafka, "durable-readers")) {
                consumer.subscribe(List.of("durable"));
                assertThat(pollUntilCount(consumer, 1)).extracting(ConsumerRecord::value)
                        .containsExactly("survives restart");
            }
        }
    }

    private static void createTopic(LocalKafka kafka, String name, int partitions) throws Exception {
        try (Admin admin = admin(kafka)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    private static Admin admin(LocalKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static KafkaProducer<String, String> transactionalProducer(LocalKafka kafka) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "local-kafka-test-" + UUID.randomUUID());
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> readCommittedConsumer(LocalKafka kafka, String groupId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static List<ConsumerRecord<String, String>> pollUntilCount(KafkaConsumer<String, String> consumer,
                                                                       int count) {
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            return received.size() >= count;
        });
        return received;
    }
}
