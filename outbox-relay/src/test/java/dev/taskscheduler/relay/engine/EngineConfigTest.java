package dev.taskscheduler.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import dev.taskscheduler.relay.RelayProperties;
import dev.taskscheduler.relay.offsets.KafkaOffsetStore;
import io.debezium.data.Envelope;
import io.debezium.data.Json;
import io.debezium.data.Uuid;
import io.debezium.transforms.outbox.EventRouter;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class EngineConfigTest {

    private static final String JDBC_URL = "jdbc:postgresql://db.internal:6543/taskdb?sslmode=verify-full";

    @Test
    void capturesOnlyTheOutboxInsertsOfItsOwnSlot() {
        Properties config = build(Map.of("scheduler.relay.slot-name", "relay_test_slot"));

        assertThat(config).contains(
                entry("connector.class", "io.debezium.connector.postgresql.PostgresConnector"),
                entry("name", "outbox-relay"),
                entry("database.hostname", "db.internal"),
                entry("database.port", "6543"),
                entry("database.dbname", "taskdb"),
                entry("database.user", "relay"),
                entry("database.password", "secret"),
                entry("database.sslmode", "verify-full"),
                entry("plugin.name", "pgoutput"),
                entry("slot.name", "relay_test_slot"),
                entry("topic.prefix", "relay_test_slot"),
                entry("publication.name", "task_outbox_publication"),
                entry("publication.autocreate.mode", "filtered"),
                entry("table.include.list", "public.outbox"),
                entry("skipped.operations", "u,d,t"),
                entry("tombstones.on.delete", "false"),
                entry("extended.headers.enabled", "false"),
                entry("snapshot.mode", "no_data"),
                entry("poll.interval.ms", "10"),
                entry("heartbeat.interval.ms", "10000"),
                entry("heartbeat.action.query", "SELECT pg_logical_emit_message(false, 'outbox-relay-heartbeat', '')"),
                entry("message.prefix.include.list", "task-scheduler-events"),
                entry("transforms.outbox.predicate", "outboxTable"),
                entry("predicates.outboxTable.pattern", "\\Qrelay_test_slot.public.outbox\\E"));
    }

    @Test
    void storesOffsetsInKafka() {
        Properties config = build(Map.of(
                "scheduler.relay.offsets.topic", "relay.offsets",
                "scheduler.relay.offsets.replication-factor", "3",
                "scheduler.relay.offsets.flush-interval", "250ms",
                "scheduler.relay.offsets.fetch-max-wait", "15s"));

        assertThat(config).contains(
                entry("offset.storage", KafkaOffsetStore.class.getName()),
                entry("offset.storage.topic", "relay.offsets"),
                entry("offset.storage.partitions", "1"),
                entry("offset.storage.replication.factor", "3"),
                entry("offset.flush.interval.ms", "250"),
                entry("fetch.max.wait.ms", "15000"),
                entry("bootstrap.servers", "kafka-1:9092,kafka-2:9092"));
    }

    @Test
    void engineOverridesComeLast() {
        Properties config = build(Map.of(
                "scheduler.relay.engine[snapshot.mode]", "initial",
                "scheduler.relay.engine[security.protocol]", "SSL"));

        assertThat(config).contains(entry("snapshot.mode", "initial"), entry("security.protocol", "SSL"));
    }

    @Test
    void routerTurnsAnOutboxInsertIntoTheEventForItsDestination() {
        EventRouter<SourceRecord> router = new EventRouter<>();
        router.configure(routerConfig(build(Map.of())));

        SourceRecord event = router.apply(outboxInsert());

        assertThat(event.topic()).isEqualTo("task.events");
        assertThat(event.key()).isEqualTo("6f1c2a7e-2c44-4a4e-9d0c-0a4f1f6b7f11");
        assertThat(event.value()).isEqualTo("{\"taskId\":\"6f1c2a7e-2c44-4a4e-9d0c-0a4f1f6b7f11\",\"attempt\":0}");
        assertThat(event.headers().lastWithName("id").value()).isEqualTo("0b0f7c55-8d2e-4d8e-a3a8-1f0c3b9e2d44");
        assertThat(event.headers().lastWithName("eventType").value()).isEqualTo("TaskScheduled");
        assertThat(event.sourceOffset().get("ts_usec")).isEqualTo(1_700_000_000_123_000L);
        router.close();
    }

    private static Properties build(Map<String, String> settings) {
        RelayProperties relay = new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("scheduler.relay", RelayProperties.class);
        return EngineConfig.build(relay, JDBC_URL, "relay", "secret", "kafka-1:9092,kafka-2:9092");
    }

    private static Map<String, String> routerConfig(Properties config) {
        Map<String, String> router = new HashMap<>();
        String prefix = "transforms.outbox.";
        config.stringPropertyNames().stream()
                .filter(name -> name.startsWith(prefix) && !name.equals(prefix + "type"))
                .forEach(name -> router.put(name.substring(prefix.length()), config.getProperty(name)));
        assertThat(config.getProperty("transforms")).isEqualTo("outbox");
        assertThat(config.getProperty(prefix + "type")).isEqualTo(EventRouter.class.getName());
        return router;
    }

    /** An INSERT into public.outbox as the PostgreSQL connector emits it. */
    private static SourceRecord outboxInsert() {
        Schema row = SchemaBuilder.struct().name("relay_test_slot.public.outbox.Value")
                .field("id", Uuid.schema())
                .field("destination", Schema.STRING_SCHEMA)
                .field("aggregatetype", Schema.STRING_SCHEMA)
                .field("aggregateid", Schema.STRING_SCHEMA)
                .field("type", Schema.STRING_SCHEMA)
                .field("payload", Json.schema())
                .build();
        Schema source = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
                .field("ts_ms", Schema.INT64_SCHEMA)
                .build();
        Envelope envelope = Envelope.defineSchema()
                .withName("relay_test_slot.public.outbox.Envelope")
                .withRecord(row)
                .withSource(source)
                .build();
        Struct after = new Struct(row)
                .put("id", "0b0f7c55-8d2e-4d8e-a3a8-1f0c3b9e2d44")
                .put("destination", "task.events")
                .put("aggregatetype", "task")
                .put("aggregateid", "6f1c2a7e-2c44-4a4e-9d0c-0a4f1f6b7f11")
                .put("type", "TaskScheduled")
                .put("payload", "{\"taskId\":\"6f1c2a7e-2c44-4a4e-9d0c-0a4f1f6b7f11\",\"attempt\":0}");
        Struct value = envelope.create(after, new Struct(source).put("ts_ms", 1_700_000_000_123L), Instant.now());
        Schema keySchema = SchemaBuilder.struct().name("relay_test_slot.public.outbox.Key").field("id", Uuid.schema()).build();
        return new SourceRecord(Map.of("server", "relay_test_slot"),
                Map.of("lsn", 123L, "ts_usec", 1_700_000_000_123_000L),
                "relay_test_slot.public.outbox", null,
                keySchema, new Struct(keySchema).put("id", "0b0f7c55-8d2e-4d8e-a3a8-1f0c3b9e2d44"),
                envelope.schema(), value);
    }
}
