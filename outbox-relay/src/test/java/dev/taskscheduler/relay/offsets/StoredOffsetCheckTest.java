package dev.taskscheduler.relay.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import dev.taskscheduler.relay.RelayProperties;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The check the relay runs before each engine start, on real Kafka and PostgreSQL: an offset of its slot that the
 * server's WAL has not reached, or whose slot is gone, is deleted from the offsets topic; a valid one is left alone.
 */
@RealInfrastructure
class StoredOffsetCheckTest {

    private static final String CONNECTOR = "outbox-relay";

    private final Infrastructure infrastructure;
    private final JdbcClient db;
    private final String slot = "offset_check_" + UUID.randomUUID().toString().substring(0, 8);
    private final String topic = "offset-check-" + slot + ".offsets";
    private final StoredOffsetCheck check;

    StoredOffsetCheckTest(Infrastructure infrastructure) {
        this.infrastructure = infrastructure;
        this.db = JdbcClient.create(infrastructure.dataSource());
        RelayProperties relay = new Binder(new MapConfigurationPropertySource(Map.of(
                "scheduler.relay.slot-name", slot, "scheduler.relay.offsets.topic", topic)))
                .bindOrCreate("scheduler.relay", RelayProperties.class);
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of(infrastructure.kafkaBootstrapServers()));
        this.check = new StoredOffsetCheck(relay, kafka, infrastructure.dataSource());
    }

    @AfterEach
    void dropSlot() {
        db.sql("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?").param(slot)
                .query().listOfRows();
    }

    @Test
    void keepsAnOffsetItsExistingSlotCanResumeFrom() {
        createSlot();
        long behind = serverLsn() - 1;
        store(behind);

        assertThat(check.discardIfStale(CONNECTOR)).isEmpty();

        assertThat(storedValues()).last().asString().contains("\"lsn\":" + behind);
    }

    @Test
    void deletesAnOffsetAheadOfTheServersWal() {
        createSlot();
        store(serverLsn() + 1_000_000_000L);

        assertThat(check.discardIfStale(CONNECTOR)).get().asString().contains("another WAL history");

        assertThat(storedValues()).last().isNull();
        assertThat(check.discardIfStale(CONNECTOR)).isEmpty();
    }

    @Test
    void deletesAnOffsetWhoseSlotIsGone() {
        store(1);

        assertThat(check.discardIfStale(CONNECTOR)).get().asString().contains("slot does not exist");

        assertThat(storedValues()).last().isNull();
    }

    @Test
    void createsNoOffsetsTopicWhereNoneExists() throws Exception {
        assertThat(check.discardIfStale(CONNECTOR)).isEmpty();

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                infrastructure.kafkaBootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).doesNotContain(topic);
        }
    }

    @Test
    void leavesTheOffsetsOfOtherSlotsAlone() {
        String otherKey = "[\"" + CONNECTOR + "\",{\"server\":\"another_slot\"}]";
        send(otherKey, "{\"lsn\":1}");

        assertThat(check.discardIfStale(CONNECTOR)).isEmpty();

        assertThat(storedValues()).containsExactly("{\"lsn\":1}");
    }

    private void createSlot() {
        db.sql("SELECT pg_create_logical_replication_slot(?, 'pgoutput')").param(slot).query().listOfRows();
    }

    private long serverLsn() {
        return db.sql("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint").query(Long.class).single();
    }

    /** An offset as Debezium's Kafka Connect store writes it for this slot. */
    private void store(long lsn) {
        send("[\"" + CONNECTOR + "\",{\"server\":\"" + slot + "\"}]",
                "{\"lsn_proc\":" + lsn + ",\"lsn\":" + lsn + ",\"txId\":7,\"ts_usec\":1767225600000000}");
    }

    private void send(String key, String value) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, 0, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot write to " + topic, e);
        }
    }

    /** Every value in the offsets topic, in order; a deletion reads as null. */
    private List<String> storedValues() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
