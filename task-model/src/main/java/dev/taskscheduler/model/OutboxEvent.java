package dev.taskscheduler.model;

import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * One event as the database hands it to the relay: an element of the JSON array that the triggers
 * of {@code tasks} and {@code schedules} emit as transactional logical decoding messages, up to
 * 1,000 events of one statement each (prefix {@value #MESSAGE_PREFIX}). The relay turns each into one Kafka record.
 *
 * @param id      unique event id, the record's {@code id} header (consumers deduplicate on it)
 * @param topic   the Kafka topic
 * @param key     the record key (a task or schedule id)
 * @param type    the event type, the record's {@code eventType} header
 * @param payload the record value
 */
public record OutboxEvent(UUID id, String topic, String key, String type, JsonNode payload) {

    /** Prefix of the logical decoding messages that carry events. */
    public static final String MESSAGE_PREFIX = "task-scheduler-events";
}
