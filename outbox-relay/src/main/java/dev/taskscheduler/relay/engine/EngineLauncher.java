package dev.taskscheduler.relay.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import dev.taskscheduler.relay.RelayProperties;
import dev.taskscheduler.relay.delivery.KafkaDelivery;
import dev.taskscheduler.relay.monitoring.RelayMetrics;
import dev.taskscheduler.relay.offsets.StoredOffsetCheck;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.embedded.Connect;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/** Creates and starts Debezium engines, each with its own Kafka producer. */
@Component
class EngineLauncher {

    private static final Logger log = LoggerFactory.getLogger(EngineLauncher.class);
    private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final RelayProperties properties;
    private final JdbcConnectionDetails jdbc;
    private final KafkaProperties kafka;
    private final RelayMetrics metrics;
    private final RelayStatus status;
    private final StoredOffsetCheck offsetCheck;

    EngineLauncher(RelayProperties properties, JdbcConnectionDetails jdbc, KafkaProperties kafka,
                   RelayMetrics metrics, RelayStatus status, StoredOffsetCheck offsetCheck) {
        this.properties = properties;
        this.jdbc = jdbc;
        this.kafka = kafka;
        this.metrics = metrics;
        this.status = status;
        this.offsetCheck = offsetCheck;
        for (Class<?> type : PatchedDebeziumClasses.notLoaded()) {
            log.warn("Debezium's own {} was loaded from {}, not the relay's patched copy, so an idle relay wakes "
                    + "hundreds of times a second. Put the relay's classes ahead of Debezium's jars.",
                    type.getSimpleName(), PatchedDebeziumClasses.loadedFrom(type));
        }
    }

    /**
     * Builds an engine and runs it on {@code executor}; the returned run ends when the engine stops. A stored offset
     * that points into another WAL history (the database was restored) is removed first.
     */
    EngineRun start(ExecutorService executor) {
        offsetCheck.discardIfStale(EngineConfig.CONNECTOR_NAME);
        Properties config = EngineConfig.build(properties, jdbc.getJdbcUrl(), jdbc.getUsername(), jdbc.getPassword(),
                String.join(",", kafka.getBootstrapServers()));
        AtomicReference<EngineRun.Outcome> outcome = new AtomicReference<>();
        // A fresh producer per run: after a failed send an idempotent producer may be unusable.
        Producer<String, String> producer = new KafkaProducer<>(producerConfig());
        try {
            DebeziumEngine<RecordChangeEvent<SourceRecord>> engine =
                    DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                            .using(config) // before notifying(): the builder reads the config there
                            .using(new StatusCallback())
                            .using((success, message, error) ->
                                    outcome.set(new EngineRun.Outcome(success, message, error)))
                            .notifying(new KafkaDelivery(producer, metrics, Clock.systemUTC()))
                            .build();
            Future<?> done = executor.submit(() -> {
                try {
                    engine.run();
                } finally {
                    producer.close(PRODUCER_CLOSE_TIMEOUT);
                }
            });
            return new EngineRun(engine, done, outcome, Clock.systemUTC().instant());
        } catch (RuntimeException e) {
            producer.close(PRODUCER_CLOSE_TIMEOUT);
            throw e;
        }
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = kafka.buildProducerProperties();
        // At-least-once without reordering: every replica has the event before the offset may move past it.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return config;
    }

    /** Mirrors the engine's progress into the relay status. */
    private final class StatusCallback implements DebeziumEngine.ConnectorCallback {

        @Override
        public void pollingStarted() {
            status.set(RelayStatus.State.STREAMING);
            log.info("Outbox relay '{}' streams slot {} (publication {}) to Kafka", EngineConfig.CONNECTOR_NAME,
                    properties.slotName(), properties.publicationName());
        }

        @Override
        public void pollingStopped() {
            log.info("Outbox relay '{}' stopped streaming slot {}", EngineConfig.CONNECTOR_NAME, properties.slotName());
        }
    }
}
