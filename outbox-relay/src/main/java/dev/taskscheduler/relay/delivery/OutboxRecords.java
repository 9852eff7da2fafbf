package dev.taskscheduler.relay.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import dev.taskscheduler.model.EventHeaders;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;

/** Turns the EventRouter's output into the Kafka records consumers read. */
final class OutboxRecords {

    /** Source offset field of the PostgreSQL connector: commit time of the transaction, in epoch microseconds. */
    private static final String COMMIT_TIME_MICROS = "ts_usec";

    private OutboxRecords() {
    }

    /**
     * The Kafka record for an outbox event: topic from {@code destination}, key {@code aggregateid}, value the
     * {@code payload} JSON text, and every header the router set ({@code id}, {@code eventType}) as UTF-8 text.
     *
     * @return empty for records that are no outbox events (Debezium heartbeats), which the router passes through
     *         untouched and which carry no event id
     */
    static Optional<ProducerRecord<String, String>> toProducerRecord(SourceRecord record) {
        if (record.headers().lastWithName(EventHeaders.EVENT_ID) == null) {
            return Optional.empty();
        }
        if (!(record.value() instanceof String payload)) {
            // The payload column is jsonb, which Debezium hands over as JSON text.
            throw new IllegalStateException("Outbox event " + eventId(record) + " has a non-text payload: "
                    + (record.value() == null ? "null" : record.value().getClass().getName()));
        }
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (header.value() != null) {
                headers.add(header.key(), header.value().toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        String key = record.key() == null ? null : record.key().toString();
        return Optional.of(new ProducerRecord<>(record.topic(), record.kafkaPartition(), record.timestamp(), key,
                payload, headers));
    }

    /** The event id the router put in the {@code id} header, for logs. */
    static String eventId(SourceRecord record) {
        Header header = record.headers().lastWithName(EventHeaders.EVENT_ID);
        return header == null ? null : String.valueOf(header.value());
    }

    /** Commit time of the transaction that wrote the event (Debezium's {@code source.ts_ms}, in microseconds). */
    static Optional<Instant> commitTime(SourceRecord record) {
        Object micros = record.sourceOffset() == null ? null : record.sourceOffset().get(COMMIT_TIME_MICROS);
        if (micros instanceof Number number && number.longValue() > 0) {
            long value = number.longValue();
            return Optional.of(Instant.ofEpochSecond(value / 1_000_000, (value % 1_000_000) * 1_000));
        }
        return Optional.empty();
    }
}
