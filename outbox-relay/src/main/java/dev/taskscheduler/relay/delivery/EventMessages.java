package dev.taskscheduler.relay.delivery;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.taskscheduler.model.EventHeaders;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.OutboxEvent;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import tools.jackson.core.type.TypeReference;

/**
 * Turns a logical decoding message of the task triggers (up to 1,000 events of one statement, see {@link OutboxEvent})
 * into the Kafka records consumers read: one per event, keyed and with the same {@code id} and
 * {@code eventType} headers as events relayed from the outbox table.
 */
final class EventMessages {

    /** Debezium's topic suffix for logical decoding messages, and the fields of their value. */
    private static final String MESSAGE_TOPIC_SUFFIX = ".message";
    private static final String MESSAGE_FIELD = "message";
    private static final String PREFIX_FIELD = "prefix";
    private static final String CONTENT_FIELD = "content";
    private static final TypeReference<List<OutboxEvent>> EVENTS = new TypeReference<>() {
    };

    private EventMessages() {
    }

    /** Whether Debezium produced {@code record} for a logical decoding message. */
    static boolean isMessage(SourceRecord record) {
        return record.topic() != null && record.topic().endsWith(MESSAGE_TOPIC_SUFFIX)
                && record.value() instanceof Struct value && value.schema().field(MESSAGE_FIELD) != null;
    }

    /**
     * The records of an event message, in the order the statement emitted them; none for a message
     * of another prefix.
     */
    static List<ProducerRecord<String, String>> toProducerRecords(SourceRecord record) {
        Struct message = ((Struct) record.value()).getStruct(MESSAGE_FIELD);
        if (!OutboxEvent.MESSAGE_PREFIX.equals(message.getString(PREFIX_FIELD))) {
            return List.of();
        }
        List<OutboxEvent> events = Json.mapper().readValue(content(message.get(CONTENT_FIELD)), EVENTS);
        List<ProducerRecord<String, String>> records = new ArrayList<>(events.size());
        for (OutboxEvent event : events) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(EventHeaders.EVENT_ID, event.id().toString().getBytes(StandardCharsets.UTF_8));
            headers.add(EventHeaders.EVENT_TYPE, event.type().getBytes(StandardCharsets.UTF_8));
            records.add(new ProducerRecord<>(event.topic(), null, record.timestamp(), event.key(),
                    Json.write(event.payload()), headers));
        }
        return records;
    }

    private static byte[] content(Object content) {
        if (content instanceof byte[] bytes) {
            return bytes;
        }
        if (content instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        throw new IllegalStateException("Event message content is not binary: "
                + (content == null ? "null" : content.getClass().getName()));
    }
}
