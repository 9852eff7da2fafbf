package dev.taskscheduler.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@RealInfrastructure
class InfrastructureExtensionTest {

    private static Infrastructure fromBeforeAll;
    private final Infrastructure fromConstructor;

    InfrastructureExtensionTest(Infrastructure infrastructure) {
        this.fromConstructor = infrastructure;
    }

    @BeforeAll
    static void rememberInfrastructure(Infrastructure infrastructure) {
        fromBeforeAll = infrastructure;
    }

    @Test
    void resolvesTheOneSharedInstanceEverywhere(Infrastructure infrastructure) {
        assertThat(infrastructure).isSameAs(Infrastructure.shared()).isSameAs(fromConstructor).isSameAs(fromBeforeAll);
    }

    @Test
    void kafkaDeliversCommittedTransactionalRecordsWithHeaders(Infrastructure infrastructure) {
        String topic = "extension-test-" + UUID.randomUUID();
        infrastructure.createTopic(topic, 2);
        infrastructure.createTopic(topic, 2); // idempotent

        try (KafkaTestConsumer consumer = infrastructure.consumer(topic);
             KafkaProducer<String, String> producer = transactionalProducer(infrastructure)) {
            producer.initTransactions();
            producer.beginTransaction();
            ProducerRecord<String, String> first = new ProducerRecord<>(topic, "task-1", "created");
            first.headers().add("eventType", "TaskCreated".getBytes(StandardCharsets.UTF_8));
            producer.send(first);
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "task-1", "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "task-1", "completed"));
            producer.commitTransaction();

            // Same key, same partition: once "completed" is read, "aborted" would have been read before it.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(consumer.records()).extracting(ConsumedRecord::value)
                            .containsExactly("created", "completed"));
            assertThat(consumer.records().get(0).header("eventType")).isEqualTo("TaskCreated");
        }
    }

    @Test
    void consumerOfATopicThatDoesNotExistYetReadsNothingAndDoesNotCreateIt(Infrastructure infrastructure)
            throws Exception {
        String topic = "missing-" + UUID.randomUUID();
        try (KafkaTestConsumer consumer = infrastructure.consumer(topic);
             Admin admin = Admin.create(Map.of(
                     AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers()))) {
            assertThat(consumer.records()).isEmpty();
            assertThat(admin.listTopics().names().get()).doesNotContain(topic);
            infrastructure.createTopics(topic);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "k", "v"));
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(consumer.records()).extracting(ConsumedRecord::value).containsExactly("v"));
        }
    }

    @Test
    void postgresAcceptsTheApplicationUserWithLogicalReplication(Infrastructure infrastructure) throws SQLException {
        try (Connection connection = infrastructure.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(
                     "SELECT current_user, current_database(), current_setting('wal_level')")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getString(1)).isEqualTo("taskuser");
            assertThat(result.getString(2)).isEqualTo("taskdb");
            assertThat(result.getString(3)).isEqualTo("logical");
        }
    }

    @Test
    void redisAnswers(Infrastructure infrastructure) throws IOException {
        try (Socket socket = new Socket(infrastructure.redisHost(), infrastructure.redisPort());
             BufferedReader in = new BufferedReader(
                     new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.readLine()).isEqualTo("+PONG");
        }
    }

    @Test
    void springPropertiesPointAtTheServers(Infrastructure infrastructure) {
        assertThat(infrastructure.springProperties()).containsExactly(
                Map.entry("spring.kafka.bootstrap-servers", infrastructure.kafkaBootstrapServers()),
                Map.entry("spring.datasource.url", infrastructure.jdbcUrl()),
                Map.entry("spring.datasource.username", "taskuser"),
                Map.entry("spring.datasource.password", "taskpass"),
                Map.entry("spring.data.redis.url", "redis://localhost:" + infrastructure.redisPort()));
        assertThat(infrastructure.springArguments())
                .contains("--spring.datasource.url=" + infrastructure.jdbcUrl())
                .allSatisfy(argument -> assertThat(argument).startsWith("--spring."));
    }

    private static KafkaProducer<String, String> transactionalProducer(Infrastructure infrastructure) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "extension-test-" + UUID.randomUUID()),
                new StringSerializer(), new StringSerializer());
    }
}
