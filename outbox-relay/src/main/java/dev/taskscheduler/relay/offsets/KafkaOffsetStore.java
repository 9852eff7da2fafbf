package dev.taskscheduler.relay.offsets;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.debezium.embedded.KafkaConnectUtil;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.KafkaOffsetBackingStore;
import org.apache.kafka.connect.util.SharedTopicAdmin;
import org.apache.kafka.connect.util.TopicAdmin;

/**
 * Kafka Connect's {@link KafkaOffsetBackingStore} (offsets in a compacted topic, configured with
 * {@code offset.storage.topic}, {@code .partitions} and {@code .replication.factor}) that closes its admin client
 * when the engine stops.
 *
 * <p>Debezium builds the stock store with an admin client that nothing ever closes, which leaks one client and its
 * network thread per engine start; the relay restarts its engine after every failure. Debezium instantiates this
 * class by name (public no-argument constructor) from {@code offset.storage}.
 */
public class KafkaOffsetStore extends KafkaOffsetBackingStore {

    private static final Duration ADMIN_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final OwnedAdmin admin;

    public KafkaOffsetStore() {
        this(new OwnedAdmin());
    }

    private KafkaOffsetStore(OwnedAdmin admin) {
        super(admin, admin::clientIdBase, KafkaConnectUtil.converterForOffsetStore());
        this.admin = admin;
    }

    @Override
    public void configure(WorkerConfig config) {
        admin.open(config.originals());
        super.configure(config);
    }

    @Override
    public void stop() {
        try {
            super.stop();
        } finally {
            admin.close();
        }
    }

    /** The store's admin client, created on configure and closed on stop. */
    private static final class OwnedAdmin implements Supplier<TopicAdmin> {

        private String clientIdBase;
        private SharedTopicAdmin admin;

        void open(Map<String, Object> engineConfig) {
            clientIdBase = engineConfig.getOrDefault("name", "debezium") + "-";
            // Only admin settings: the engine configuration also holds the database credentials.
            Map<String, Object> adminProps = new HashMap<>();
            engineConfig.forEach((key, value) -> {
                if (AdminClientConfig.configNames().contains(key)) {
                    adminProps.put(key, value);
                }
            });
            adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, clientIdBase + "offsets-admin");
            admin = new SharedTopicAdmin(adminProps);
        }

        String clientIdBase() {
            return clientIdBase;
        }

        @Override
        public TopicAdmin get() {
            return admin.get();
        }

        void close() {
            if (admin != null) {
                admin.close(ADMIN_CLOSE_TIMEOUT);
            }
        }
    }
}
