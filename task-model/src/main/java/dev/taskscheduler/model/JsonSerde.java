package dev.taskscheduler.model;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The Kafka serde of one record type, as JSON with {@link Json}'s settings. A value that is not
 * JSON of that type, or breaks its record's invariants (a task event without a task id), fails with
 * a {@link SerializationException}, which consumers treat as an unreadable record to skip and count
 * rather than a failure of their own.
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final Class<T> type;

    public JsonSerde(Class<T> type) {
        this.type = type;
    }

    @Override
    public byte[] serialize(String topic, T value) {
        return value == null ? null : Json.mapper().writeValueAsBytes(value);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return Json.read(data, type);
        } catch (RuntimeException e) {
            throw new SerializationException("Unreadable " + type.getSimpleName() + " on " + topic + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public void close() {
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }
}
