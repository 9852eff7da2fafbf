package dev.taskscheduler.relay.engine;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

import dev.taskscheduler.model.EventHeaders;
import dev.taskscheduler.model.OutboxEvent;
import dev.taskscheduler.relay.RelayProperties;
import dev.taskscheduler.relay.offsets.KafkaOffsetStore;

/**
 * Builds the Debezium engine configuration: PostgreSQL connector on the outbox table only, outbox EventRouter, and
 * offsets in Kafka.
 */
final class EngineConfig {

    /** Debezium connector (engine) name; it appears in Debezium's logs and in the stored offsets' key. */
    static final String CONNECTOR_NAME = "outbox-relay";

    /** Prefix of the WAL messages the heartbeat writes; excluded from the change stream. */
    static final String HEARTBEAT_MESSAGE_PREFIX = "outbox-relay-heartbeat";

    static final String OUTBOX_TABLE = "public.outbox";

    /** JDBC URL parameters that Debezium accepts as {@code database.<name>}. */
    private static final Set<String> SSL_PARAMETERS = Set.of("sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword");

    private EngineConfig() {
    }

    /**
     * @param relay            the relay settings
     * @param jdbcUrl          the service's PostgreSQL JDBC URL
     * @param username         database user; needs REPLICATION and ownership of the outbox table (for the
     *                         publication)
     * @param password         its password
     * @param bootstrapServers Kafka bootstrap servers for the offsets topic
     */
    static Properties build(RelayProperties relay, String jdbcUrl, String username, String password,
                            String bootstrapServers) {
        PostgresJdbcUrl url = PostgresJdbcUrl.parse(jdbcUrl);
        Properties config = new Properties();
        config.setProperty("name", CONNECTOR_NAME);
        config.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");

        config.setProperty("database.hostname", url.host());
        config.setProperty("database.port", Integer.toString(url.port()));
        config.setProperty("database.dbname", url.database());
        config.setProperty("database.user", username);
        config.setProperty("database.password", password == null ? "" : password);
        url.parameters().forEach((name, value) -> {
            if (SSL_PARAMETERS.contains(name)) {
                config.setProperty("database." + name, value);
            }
        });
        // Consumers get the event headers only, not Debezium's __debezium.context.* headers.
        config.setProperty("extended.headers.enabled", "false");
        // The slot name keys the offsets too: an offset always belongs to the slot it was read from.
        config.setProperty("topic.prefix", relay.slotName());

        config.setProperty("plugin.name", "pgoutput");
        config.setProperty("slot.name", relay.slotName());
        config.setProperty("publication.name", relay.publicationName());
        config.setProperty("publication.autocreate.mode", "filtered");
        config.setProperty("table.include.list", OUTBOX_TABLE);
        // Rows are deleted in the inserting transaction; only the inserts are events.
        config.setProperty("skipped.operations", "u,d,t");
        config.setProperty("tombstones.on.delete", "false");
        // The outbox is always empty, and events before the slot existed were never meant for this slot.
        config.setProperty("snapshot.mode", "no_data");
        config.setProperty("poll.interval.ms", millis(relay.pollInterval()));

        // With an idle outbox no change reaches the relay, so its position would never move and the slot would
        // pin WAL written for other tables. A WAL message is decoded for any publication and lets it move.
        config.setProperty("heartbeat.interval.ms", millis(relay.heartbeatInterval()));
        config.setProperty("heartbeat.action.query",
                "SELECT pg_logical_emit_message(false, '" + HEARTBEAT_MESSAGE_PREFIX + "', '')");
        // The triggers emit each statement's events as transactional messages with this prefix;
        // any other message (the heartbeat's) is left out of the change stream.
        config.setProperty("message.prefix.include.list", OutboxEvent.MESSAGE_PREFIX);

        // Rows of the outbox table, written by versions before the event messages, still in the WAL.
        config.setProperty("transforms", "outbox");
        config.setProperty("transforms.outbox.predicate", "outboxTable");
        config.setProperty("predicates", "outboxTable");
        config.setProperty("predicates.outboxTable.type",
                "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
        config.setProperty("predicates.outboxTable.pattern", Pattern.quote(relay.slotName() + "." + OUTBOX_TABLE));
        config.setProperty("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
        config.setProperty("transforms.outbox.route.by.field", "destination");
        config.setProperty("transforms.outbox.route.topic.replacement", "${routedByValue}");
        config.setProperty("transforms.outbox.table.field.event.id", "id");
        config.setProperty("transforms.outbox.table.field.event.key", "aggregateid");
        config.setProperty("transforms.outbox.table.field.event.payload", "payload");
        config.setProperty("transforms.outbox.table.fields.additional.placement",
                "type:header:" + EventHeaders.EVENT_TYPE);

        RelayProperties.Offsets offsets = relay.offsets();
        config.setProperty("offset.storage", KafkaOffsetStore.class.getName());
        config.setProperty("offset.storage.topic", offsets.topic());
        config.setProperty("offset.storage.partitions", Integer.toString(offsets.partitions()));
        config.setProperty("offset.storage.replication.factor", Short.toString(offsets.replicationFactor()));
        config.setProperty("offset.flush.interval.ms", millis(offsets.flushInterval()));
        // The offset store's reader is the engine's only consumer and is built from the whole engine config. A fetch
        // returns as soon as a record arrives, so a longer wait delays no offset; Kafka's 500 ms made an idle relay
        // ask the broker twice a second. Not longer than the others' 2 s: closing the reader waits for its fetch.
        config.setProperty("fetch.max.wait.ms", millis(offsets.fetchMaxWait()));
        config.setProperty("bootstrap.servers", bootstrapServers);

        for (Map.Entry<String, String> override : relay.engine().entrySet()) {
            config.setProperty(override.getKey(), override.getValue());
        }
        return config;
    }

    private static String millis(Duration duration) {
        return Long.toString(duration.toMillis());
    }
}
