package dev.taskscheduler.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.taskscheduler.relay.RelayProperties;
import dev.taskscheduler.relay.engine.RelayStatus;
import dev.taskscheduler.relay.monitoring.RelayMetrics;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class KafkaDeliveryTest {

    private static final Instant COMMITTED = Instant.parse("2024-05-01T10:00:00Z");
    private static final Clock ACKED = Clock.fixed(COMMITTED.plusMillis(15), ZoneOffset.UTC);

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final RelayMetrics metrics = new RelayMetrics(registry,
            new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate("scheduler.relay", RelayProperties.class),
            new RelayStatus());
    private final RecordingCommitter committer = new RecordingCommitter();

    @Test
    void sendsEventsAsPlainJsonWithTheirHeadersAndMarksTheBatchOnceKafkaHasIt() throws InterruptedException {
        MockProducer<String, String> producer = producer();
        KafkaDelivery delivery = new KafkaDelivery(producer, metrics, ACKED);
        var event = event("task.events", "task-1", "event-1", "{\"taskId\":\"task-1\"}");
        var heartbeat = heartbeat();

        delivery.handleBatch(List.of(event, heartbeat), committer);

        assertThat(producer.history()).hasSize(1);
        ProducerRecord<String, String> sent = producer.history().get(0);
        assertThat(sent.topic()).isEqualTo("task.events");
        assertThat(sent.key()).isEqualTo("task-1");
        assertThat(sent.value()).isEqualTo("{\"taskId\":\"task-1\"}");
        assertThat(new String(sent.headers().lastHeader("id").value(), StandardCharsets.UTF_8)).isEqualTo("event-1");
        assertThat(new String(sent.headers().lastHeader("eventType").value(), StandardCharsets.UTF_8))
                .isEqualTo("TaskScheduled");
        assertThat(committer.processed).containsExactly(event, heartbeat);
        assertThat(committer.batchesFinished).isEqualTo(1);
        assertThat(registry.get("outbox.relay.events").tag("topic", "task.events").counter().count()).isEqualTo(1);
        assertThat(registry.get("outbox.relay.delay").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(15);
    }

    @Test
    void aFailedSendMarksNothingSoTheBatchIsReadAgain() {
        MockProducer<String, String> producer = new MockProducer<>(false, null, new StringSerializer(),
                new StringSerializer()) {
            @Override
            public synchronized void flush() {
                errorNext(new TimeoutException("broker unavailable"));
                super.flush();
            }
        };
        KafkaDelivery delivery = new KafkaDelivery(producer, metrics, ACKED);

        assertThatThrownBy(() -> delivery.handleBatch(List.of(
                event("task.events", "task-1", "event-1", "{}"),
                event("task.events", "task-2", "event-2", "{}")), committer))
                .isInstanceOf(OutboxDeliveryException.class)
                .hasMessageContaining("id=event-1")
                .hasMessageContaining("topic=task.events")
                .hasMessageContaining("key=task-1")
                .hasRootCauseInstanceOf(TimeoutException.class);
        assertThat(committer.processed).isEmpty();
        assertThat(committer.batchesFinished).isZero();
    }

    @Test
    void aRejectedSendMarksNothing() {
        MockProducer<String, String> producer = producer();
        producer.sendException = new IllegalStateException("producer closed");
        KafkaDelivery delivery = new KafkaDelivery(producer, metrics, ACKED);

        assertThatThrownBy(() -> delivery.handleBatch(List.of(event("task.events", "task-1", "event-1", "{}")), committer))
                .isInstanceOf(OutboxDeliveryException.class)
                .hasMessageContaining("id=event-1");
        assertThat(committer.processed).isEmpty();
        assertThat(committer.batchesFinished).isZero();
    }

    private static MockProducer<String, String> producer() {
        return new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    }

    /** A record as the EventRouter emits it. */
    private static RecordChangeEvent<SourceRecord> event(String topic, String key, String id, String payload) {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("id", id);
        headers.addString("eventType", "TaskScheduled");
        long commitMicros = COMMITTED.toEpochMilli() * 1000;
        SourceRecord record = new SourceRecord(Map.of("server", "slot"), Map.of("lsn", 1L, "ts_usec", commitMicros),
                topic, null, Schema.STRING_SCHEMA, key, Schema.STRING_SCHEMA, payload, COMMITTED.toEpochMilli(),
                headers);
        return () -> record;
    }

    /** Debezium heartbeats pass the router untouched; they only carry an offset. */
    private static RecordChangeEvent<SourceRecord> heartbeat() {
        SourceRecord record = new SourceRecord(Map.of("server", "slot"), Map.of("lsn", 2L),
                "__debezium-heartbeat.slot", Schema.STRING_SCHEMA, "slot");
        return () -> record;
    }

    private static final class RecordingCommitter implements DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> {

        final List<RecordChangeEvent<SourceRecord>> processed = new ArrayList<>();
        int batchesFinished;

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record) {
            processed.add(record);
        }

        @Override
        public void markBatchFinished() {
            batchesFinished++;
        }

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record, DebeziumEngine.Offsets sourceOffsets) {
            processed.add(record);
        }

        @Override
        public DebeziumEngine.Offsets buildOffsets() {
            throw new UnsupportedOperationException();
        }
    }
}
