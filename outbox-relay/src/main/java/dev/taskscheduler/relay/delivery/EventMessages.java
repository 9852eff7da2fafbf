package dev.taskscheduler.relay.delivery;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.taskscheduler.model.EventHeaders;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.OutboxEvent;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Turns a logical decoding message of the task triggers (up to 1,000 events of one statement, see {@link OutboxEvent})
 * into the Kafka records consumers read: one per event, keyed and with the same {@code id} and
 * {@code eventType} headers as events relayed from the outbox table.
 *
 * <p>Every task passes through here, so the message is read as a stream of tokens and each event's
 * payload is passed on as the very text the trigger wrote: reading the payloads into trees only to
 * write them out again took twice as long.
 */
final class EventMessages {

    /** Debezium's topic suffix for logical decoding messages, and the fields of their value. */
    private static final String MESSAGE_TOPIC_SUFFIX = ".message";
    private static final String MESSAGE_FIELD = "message";
    private static final String PREFIX_FIELD = "prefix";
    private static final String CONTENT_FIELD = "content";

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
        List<MessageEvent> events = read(content(message.get(CONTENT_FIELD)));
        List<ProducerRecord<String, String>> records = new ArrayList<>(events.size());
        for (MessageEvent event : events) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(EventHeaders.EVENT_ID, event.id().toString().getBytes(StandardCharsets.UTF_8));
            headers.add(EventHeaders.EVENT_TYPE, event.type().getBytes(StandardCharsets.UTF_8));
            records.add(new ProducerRecord<>(event.topic(), null, record.timestamp(), event.key(),
                    event.payloadJson(), headers));
        }
        return records;
    }

    /** An {@link OutboxEvent} with its payload as JSON text, exactly as the message holds it. */
    record MessageEvent(UUID id, String topic, String key, String type, String payloadJson) {
    }

    /** The events of a message's content: a JSON array of {@link OutboxEvent} objects. */
    static List<MessageEvent> read(byte[] content) {
        try (JsonParser parser = Json.mapper().createParser(content)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw malformed("is not an array", parser);
            }
            List<MessageEvent> events = new ArrayList<>();
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.START_OBJECT) {
                events.add(readEvent(parser, content));
            }
            if (token != JsonToken.END_ARRAY || parser.nextToken() != null) {
                throw malformed("holds something other than event objects", parser);
            }
            return events;
        }
    }

    private static MessageEvent readEvent(JsonParser parser, byte[] content) {
        String id = null;
        String topic = null;
        String key = null;
        String type = null;
        String payload = null;
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
            JsonToken value = parser.nextToken();
            switch (name) {
                case "id" -> id = text(parser, value, name);
                case "topic" -> topic = text(parser, value, name);
                case "key" -> key = text(parser, value, name);
                case "type" -> type = text(parser, value, name);
                case "payload" -> payload = rawText(parser, value, content);
                default -> parser.skipChildren();
            }
        }
        if (id == null || topic == null || type == null || payload == null) {
            throw malformed("has an event without its id, topic, type or payload", parser);
        }
        return new MessageEvent(UUID.fromString(id), topic, key, type, payload);
    }

    private static String text(JsonParser parser, JsonToken value, String name) {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            throw malformed("has an event whose " + name + " is not text", parser);
        }
        return parser.getString();
    }

    /**
     * The value at the parser as the exact text of the content. An object or array ends at its
     * closing bracket, which is where the parser stands once it has skipped the value's children.
     */
    private static String rawText(JsonParser parser, JsonToken value, byte[] content) {
        if (value != JsonToken.START_OBJECT && value != JsonToken.START_ARRAY) {
            return Json.write(parser.readValueAsTree());
        }
        int start = Math.toIntExact(parser.currentTokenLocation().getByteOffset());
        parser.skipChildren();
        int end = Math.toIntExact(parser.currentLocation().getByteOffset());
        return new String(content, start, end - start, StandardCharsets.UTF_8);
    }

    private static IllegalStateException malformed(String problem, JsonParser parser) {
        return new IllegalStateException("Event message " + problem + " (at " + parser.currentLocation().offsetDescription() + ")");
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
