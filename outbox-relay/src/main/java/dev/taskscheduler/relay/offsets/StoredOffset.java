package dev.taskscheduler.relay.offsets;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Debezium PostgreSQL source offset as Kafka Connect stores it: the key {@code ["<connector>",{"server":"<slot>"}]}
 * (the relay's {@code topic.prefix} is its slot name) and a JSON value whose {@code lsn} (and {@code lsn_proc},
 * {@code lsn_commit}) are WAL positions as numbers.
 *
 * @param partition where the record is, so that its deletion lands beside it
 * @param key       the record's key, unchanged
 * @param lsn       the furthest WAL position the offset names
 */
record StoredOffset(int partition, byte[] key, long lsn) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Whether {@code key} is the offset key of {@code connector} reading {@code slot}. */
    static boolean isFor(byte[] key, String connector, String slot) {
        if (key == null) {
            return false;
        }
        try {
            JsonNode node = JSON.readTree(new String(key, StandardCharsets.UTF_8));
            return node.isArray() && node.size() == 2 && connector.equals(node.get(0).asString(""))
                    && slot.equals(node.get(1).path("server").asString(""));
        } catch (JacksonException e) {
            return false; // not an offset key of Kafka Connect's JSON converter
        }
    }

    /** The offset in {@code value}; empty when it names no WAL position. */
    static Optional<StoredOffset> of(int partition, byte[] key, byte[] value) {
        try {
            JsonNode node = JSON.readTree(new String(value, StandardCharsets.UTF_8));
            Long furthest = null;
            for (String field : new String[] {"lsn", "lsn_proc", "lsn_commit"}) {
                JsonNode position = node.path(field);
                if (position.isIntegralNumber()
                        && (furthest == null || Long.compareUnsigned(position.asLong(), furthest) > 0)) {
                    furthest = position.asLong();
                }
            }
            return furthest == null ? Optional.empty() : Optional.of(new StoredOffset(partition, key, furthest));
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /** PostgreSQL's notation of a WAL position, e.g. {@code 0/16B3748}. */
    static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }
}
