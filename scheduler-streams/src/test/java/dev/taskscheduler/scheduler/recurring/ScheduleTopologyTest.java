package dev.taskscheduler.scheduler.recurring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.model.EventHeaders;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.ScheduleEvent;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.scheduler.punctuation.PunctuationAlarms;
import dev.taskscheduler.scheduler.punctuation.PunctuationTiming;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class ScheduleTopologyTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:01Z");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, String> events;
    private TestOutputTopic<String, String> submissions;
    private long version;

    @BeforeEach
    void startTopology() {
        StreamsBuilder builder = new StreamsBuilder();
        ScheduleTopology.addTo(builder, new PunctuationTiming(Duration.ofMillis(10), Duration.ofSeconds(5)),
                new PunctuationAlarms(Duration.ofMillis(100)),
                Duration.ofMinutes(1));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "schedule-test");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), config, START);
        events = driver.createInputTopic(Topics.SCHEDULE_EVENTS, new StringSerializer(), new StringSerializer());
        submissions = driver.createOutputTopic(Topics.SUBMISSIONS, new StringDeserializer(), new StringDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void shouldSubmitOneTaskPerFiringWithADeterministicKey() {
        UUID schedule = UUID.randomUUID();
        upsert(schedule, "*/5 * * * * *", "UTC", "skip", false);

        driver.advanceWallClockTime(Duration.ofSeconds(11));

        List<KeyValue<String, String>> fired = submissions.readKeyValuesToList();
        long first = Instant.parse("2030-01-01T00:00:05Z").toEpochMilli();
        assertThat(fired).extracting(kv -> kv.key).containsExactly(
                "schedule:" + schedule + ":" + first, "schedule:" + schedule + ":" + (first + 5_000));
        JsonNode submission = Json.mapper().readTree(fired.get(0).value);
        assertThat(submission.path("type").asString()).isEqualTo("report");
        assertThat(submission.path("idempotencyKey").asString()).isEqualTo(fired.get(0).key);
        assertThat(submission.path("runAt").asString()).isEqualTo("2030-01-01T00:00:05Z");
        assertThat(submission.path("priority").asString()).isEqualTo("high");
    }

    @Test
    void shouldReadTheExpressionInItsTimeZone() {
        UUID schedule = UUID.randomUUID();
        // 01:00 in Paris is 00:00 UTC on 1 January; the next firing is 2 January 00:00 UTC.
        upsert(schedule, "0 1 * * *", "Europe/Paris", "skip", false);

        driver.advanceWallClockTime(Duration.ofHours(24));

        assertThat(submissions.readKeyValuesToList()).extracting(kv -> kv.key)
                .containsExactly("schedule:" + schedule + ":" + Instant.parse("2030-01-02T00:00:00Z").toEpochMilli());
    }

    @Test
    void shouldStopFiringWhenPausedOrDeleted() {
        UUID paused = UUID.randomUUID();
        UUID deleted = UUID.randomUUID();
        upsert(paused, "*/5 * * * * *", "UTC", "skip", false);
        upsert(deleted, "*/5 * * * * *", "UTC", "skip", false);

        upsert(paused, "*/5 * * * * *", "UTC", "skip", true);
        delete(deleted);
        driver.advanceWallClockTime(Duration.ofSeconds(30));

        assertThat(submissions.isEmpty()).isTrue();
    }

    @Test
    void shouldSkipFiringsMissedDuringAnOutageOrRunThemOnceByPolicy() {
        UUID skipping = UUID.randomUUID();
        UUID catchingUp = UUID.randomUUID();
        upsert(skipping, "*/5 * * * * *", "UTC", "skip", false);
        upsert(catchingUp, "*/5 * * * * *", "UTC", "run_once", false);

        driver.advanceWallClockTime(Duration.ofMinutes(10)); // the scheduler was down meanwhile

        List<KeyValue<String, String>> fired = submissions.readKeyValuesToList();
        assertThat(fired).extracting(kv -> kv.key).singleElement().asString().startsWith("schedule:" + catchingUp);
        assertThat(Json.mapper().readTree(fired.get(0).value).has("runAt")).isFalse();

        driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertThat(submissions.readKeyValuesToList()).hasSize(2);
    }

    private void upsert(UUID id, String cron, String zone, String misfire, boolean paused) {
        ScheduleEvent event = new ScheduleEvent(id, cron, zone, "report", Json.mapper().readTree("{\"n\":1}"), "high", 2,
                misfire, paused, ++version);
        events.pipeInput(new TestRecord<>(id.toString(), Json.write(event), headers(ScheduleEvent.UPSERTED), START));
    }

    private void delete(UUID id) {
        ScheduleEvent event = new ScheduleEvent(id, null, null, null, null, null, null, null, false, ++version);
        events.pipeInput(new TestRecord<>(id.toString(), Json.write(event), headers(ScheduleEvent.DELETED), START));
    }

    private static RecordHeaders headers(String type) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.EVENT_TYPE, type.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
