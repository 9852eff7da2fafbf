package dev.taskscheduler.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A record read by {@link KafkaTestConsumer}, with key, value and header values decoded as UTF-8.
 *
 * @param headers header values by name; for a name that occurs more than once, the last value
 */
public record ConsumedRecord(String topic, int partition, long offset, String key, String value,
                             Map<String, String> headers) {

    static ConsumedRecord of(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            byte[] value = header.value();
            headers.put(header.key(), value == null ? null : new String(value, StandardCharsets.UTF_8));
        }
        return new ConsumedRecord(record.topic(), record.partition(), record.offset(), record.key(), record.value(),
                Collections.unmodifiableMap(headers));
    }

    /** The value of header {@code name}, or null when the record has no such header. */
    public String header(String name) {
        return headers.get(name);
    }
}
