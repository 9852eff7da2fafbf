package dev.taskscheduler.api.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskscheduler.api.RunningApiServer;
import dev.taskscheduler.model.EventHeaders;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.testsupport.ConsumedRecord;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.KafkaTestConsumer;
import dev.taskscheduler.testsupport.PrometheusText;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The submission topic keeps flowing when storing a record fails for a reason no validation rule
 * foresaw: here the database itself refuses one task type (a trigger raises), and its records go to
 * the invalid topic after a few attempts, counted and with the reason, while the records around them
 * are stored. Polls here hold at most 30 records, so a burst is cut into slices of 10 stored side by
 * side.
 */
@RealInfrastructure
class SubmissionTopicFaultsTest {

    private static final String REFUSED_TYPE = "refused-by-the-database";
    private static final int MAX_POLL = 30;

    private static RunningApiServer api;
    private static JdbcClient db;
    private static KafkaProducer<String, String> producer;

    @BeforeAll
    static void start(Infrastructure infrastructure) {
        api = RunningApiServer.start(infrastructure, "--scheduler.ingest.submission-max-poll-records=" + MAX_POLL);
        db = JdbcClient.create(infrastructure.dataSource());
        db.sql("""
                CREATE OR REPLACE FUNCTION test_refuse_a_task_type() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'tasks of type % are refused here', NEW.type;
                END;
                $$""").update();
        db.sql("CREATE TRIGGER test_refuse_a_task_type BEFORE INSERT ON tasks FOR EACH ROW "
                + "WHEN (NEW.type = '" + REFUSED_TYPE + "') EXECUTE FUNCTION test_refuse_a_task_type()").update();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                infrastructure.kafkaBootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.sql("DROP TRIGGER IF EXISTS test_refuse_a_task_type ON tasks").update();
        }
        if (producer != null) {
            producer.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void shouldSendARecordTheDatabaseRefusesToTheInvalidTopicAndStoreTheOthers(Infrastructure infrastructure)
            throws Exception {
        String run = UUID.randomUUID().toString();
        double errorsBefore = rejectedAsError();
        try (KafkaTestConsumer invalid = infrastructure.consumer(Topics.SUBMISSIONS_INVALID)) {
            send("before-" + run, "{\"type\":\"noop\",\"delay\":\"PT1H\"}");
            send("refused-" + run, "{\"type\":\"" + REFUSED_TYPE + "\"}");
            send("after-" + run, "{\"type\":\"noop\",\"delay\":\"PT1H\"}");
            producer.flush();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(stored(List.of("before-" + run, "after-" + run))).isEqualTo(2);
                List<ConsumedRecord> refused = invalid.records().stream()
                        .filter(record -> ("refused-" + run).equals(record.key())).toList();
                assertThat(refused).hasSize(1);
                assertThat(refused.get(0).header(EventHeaders.REJECTION_REASON))
                        .startsWith("could not be stored: ")
                        .contains("tasks of type " + REFUSED_TYPE + " are refused here");
            });
        }
        assertThat(stored(List.of("refused-" + run))).isZero();
        assertThat(rejectedAsError()).isEqualTo(errorsBefore + 1);
    }

    @Test
    void shouldStoreEveryRecordOfABurstWrittenInSlicesAndRejectOnlyTheRefusedOne(Infrastructure infrastructure)
            throws Exception {
        String run = UUID.randomUUID().toString();
        int burst = 10 * MAX_POLL;
        int refusedAt = burst / 2 + 3;
        List<String> keys = new ArrayList<>();
        try (KafkaTestConsumer invalid = infrastructure.consumer(Topics.SUBMISSIONS_INVALID)) {
            for (int i = 0; i < burst; i++) {
                if (i == refusedAt) {
                    send("refused-" + run, "{\"type\":\"" + REFUSED_TYPE + "\"}");
                } else {
                    keys.add("burst-" + i + "-" + run);
                    send(keys.get(keys.size() - 1), "{\"type\":\"noop\",\"delay\":\"PT1H\"}");
                }
            }
            producer.flush();

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(stored(keys)).isEqualTo(burst - 1);
                assertThat(invalid.records().stream().filter(record -> ("refused-" + run).equals(record.key())))
                        .hasSize(1);
            });
            assertThat(invalid.records().stream().filter(record -> record.key() != null
                    && record.key().startsWith("burst-") && record.key().endsWith(run))).isEmpty();
        }
        assertThat(db.sql("SELECT count(*) FROM tasks WHERE idempotency_key LIKE ?").param("%-" + run)
                .query(Integer.class).single()).isEqualTo(burst - 1);
    }

    /** A delay counts from when the record was produced, not from when the api-server read it. */
    @Test
    void shouldJudgeARecordAsOfItsTimestamp() {
        String key = "produced-yesterday-" + UUID.randomUUID();
        Instant producedAt = Instant.now().minus(Duration.ofHours(23));
        producer.send(new ProducerRecord<>(Topics.SUBMISSIONS, null, producedAt.toEpochMilli(), key,
                "{\"type\":\"noop\",\"delay\":\"PT1H\"}"));
        producer.flush();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(db.sql(
                        "SELECT run_at FROM tasks WHERE idempotency_key = ?").param(key).query(java.sql.Timestamp.class)
                .optional()).hasValueSatisfying(runAt -> assertThat(runAt.toInstant())
                .isEqualTo(producedAt.plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS))));
    }

    private static void send(String key, String value) {
        producer.send(new ProducerRecord<>(Topics.SUBMISSIONS, key, value));
    }

    private static int stored(List<String> keys) {
        return db.sql("SELECT count(*) FROM tasks WHERE idempotency_key = ANY(?)")
                .param(keys.toArray(String[]::new)).query(Integer.class).single();
    }

    private static double rejectedAsError() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(api.managementUrl() + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        PrometheusText metrics = PrometheusText.parse(response.body());
        return metrics.sum("api_submission_records_rejected_total", Map.of("reason", "error"));
    }
}
