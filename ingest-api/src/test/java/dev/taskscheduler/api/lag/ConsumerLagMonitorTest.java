package dev.taskscheduler.api.lag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.api.RunningApiServer;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.PrometheusText;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.consumer.group.ConsumerGroupCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The lag monitor of a real api-server against the real broker. A group of this test has committed
 * offsets 3, 4 and 0 on a topic holding 10, 4 and 0 records; the records of partition 0 are two
 * minutes old.
 */
@RealInfrastructure
class ConsumerLagMonitorTest {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String TOPIC = "lag-test-" + SUFFIX;
    private static final String PREFIX = "lag-test-pool-" + SUFFIX + "-";
    private static final String GROUP = PREFIX + "a";
    private static final long RECORD_AGE_MS = 120_000;
    private static final String TX_TOPIC = "lag-test-tx-" + SUFFIX;
    private static final String TX_GROUP = PREFIX + "tx";

    private static Infrastructure infrastructure;
    private static RunningApiServer api;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startApi(Infrastructure shared) {
        infrastructure = shared;
        infrastructure.createTopic(TOPIC, 3);
        long oldTimestamp = Instant.now().toEpochMilli() - RECORD_AGE_MS;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, shared.kafkaBootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, oldTimestamp + i, "k" + i, "v" + i));
            }
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 1, "k" + i, "v" + i));
            }
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, shared.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, GROUP), new StringDeserializer(), new StringDeserializer())) {
            consumer.commitSync(Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(3),
                    new TopicPartition(TOPIC, 1), new OffsetAndMetadata(4),
                    new TopicPartition(TOPIC, 2), new OffsetAndMetadata(0)));
        }
        // A transactional topic read to the end: the committed offset stops before the commit marker.
        infrastructure.createTopic(TX_TOPIC, 1);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, shared.kafkaBootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "lag-test-" + SUFFIX),
                new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TX_TOPIC, 0, "k0", "v0"));
            producer.send(new ProducerRecord<>(TX_TOPIC, 0, "k1", "v1"));
            producer.commitTransaction();
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, shared.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, TX_GROUP), new StringDeserializer(), new StringDeserializer())) {
            consumer.commitSync(Map.of(new TopicPartition(TX_TOPIC, 0), new OffsetAndMetadata(2)));
        }
        api = RunningApiServer.start(shared,
                "--scheduler.lag.interval=1h", // the tests refresh on demand
                "--scheduler.lag.groups=lag-test-absent-" + SUFFIX,
                "--scheduler.lag.group-prefixes=" + PREFIX);
    }

    @AfterAll
    static void stopApi() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void shouldReportTheSameOffsetsAndLagAsKafkasConsumerGroupCommand() throws Exception {
        JsonNode group = group(refreshedReport(), GROUP);
        List<String[]> kafkaRows = describeWithKafkasTool(GROUP);

        assertThat(kafkaRows).hasSize(3);
        for (String[] row : kafkaRows) { // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG ...
            JsonNode partition = group.path("partitions").valueStream()
                    .filter(p -> p.path("topic").asString().equals(row[1])
                            && p.path("partition").asInt() == Integer.parseInt(row[2]))
                    .findFirst().orElseThrow(() -> new AssertionError("missing " + String.join(" ", row)));
            assertThat(partition.path("committedOffset").asLong()).as("committed").isEqualTo(Long.parseLong(row[3]));
            assertThat(partition.path("endOffset").asLong()).as("end").isEqualTo(Long.parseLong(row[4]));
            assertThat(partition.path("lag").asLong()).as("lag").isEqualTo(Long.parseLong(row[5]));
        }
        assertThat(group.path("lag").asLong()).isEqualTo(7);
    }

    @Test
    void shouldExportTheLagAndTheAgeOfTheOldestUnreadRecordPerPartition() throws Exception {
        refreshedReport();
        PrometheusText metrics = PrometheusText.parse(http.send(HttpRequest.newBuilder(
                URI.create(api.managementUrl() + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body());

        Map<String, String> p0 = Map.of("group", GROUP, "topic", TOPIC, "partition", "0");
        Map<String, String> p1 = Map.of("group", GROUP, "topic", TOPIC, "partition", "1");
        assertThat(metrics.value("kafka_consumer_group_lag", p0)).isEqualTo(7);
        // The oldest unread record is the one at offset 3, produced two minutes ago.
        assertThat(metrics.value("kafka_consumer_group_lag_seconds", p0))
                .isBetween(RECORD_AGE_MS / 1000.0, RECORD_AGE_MS / 1000.0 + 60);
        assertThat(metrics.value("kafka_consumer_group_lag", p1)).isZero();
        assertThat(metrics.value("kafka_consumer_group_lag_seconds", p1)).isZero();
    }

    @Test
    void shouldCountNoLagWhereOnlyATransactionMarkerFollowsTheCommittedOffset() throws Exception {
        JsonNode partition = group(refreshedReport(), TX_GROUP).path("partitions").get(0);
        String[] kafkaRow = describeWithKafkasTool(TX_GROUP).get(0);

        assertThat(partition.path("committedOffset").asLong()).isEqualTo(2);
        assertThat(partition.path("endOffset").asLong()).isEqualTo(3).isEqualTo(Long.parseLong(kafkaRow[4]));
        assertThat(kafkaRow[5]).isEqualTo("1"); // Kafka's tool counts the marker...
        assertThat(partition.path("lag").asLong()).isZero(); // ...but nothing is left to consume
        assertThat(partition.path("lagSeconds").asDouble()).isZero();
    }

    @Test
    void shouldWatchGroupsFoundByPrefixAndShowNothingForAnAbsentConfiguredGroup() throws Exception {
        JsonNode report = refreshedReport();

        assertThat(report.path("refreshedAt").isNull()).isFalse();
        assertThat(report.path("groups").valueStream().map(g -> g.path("group").asString()))
                .contains(GROUP).doesNotContain("lag-test-absent-" + SUFFIX);
    }

    private JsonNode refreshedReport() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/api/v1/admin/lag?refresh=true");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode report = Json.mapper().readTree(response.body());
        assertThat(report.path("lastError").isNull()).as(response.body()).isTrue();
        return report;
    }

    private static JsonNode group(JsonNode report, String name) {
        return report.path("groups").valueStream().filter(g -> g.path("group").asString().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no group " + name + " in " + report));
    }

    /** Rows of {@code kafka-consumer-groups --describe --group}, split on white space. */
    private static List<String[]> describeWithKafkasTool(String group) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("kafka-consumer-groups exited with " + code + ": " + message);
        });
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            ConsumerGroupCommand.main(new String[] {"--bootstrap-server", infrastructure.kafkaBootstrapServers(),
                "--describe", "--group", group});
        } finally {
            System.setOut(original);
            Exit.resetExitProcedure();
        }
        String text = out.toString(StandardCharsets.UTF_8);
        System.out.println(text);
        return text.lines().filter(line -> line.startsWith(group + " ")).map(line -> line.trim().split("\\s+"))
                .toList();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(api.request(path).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
