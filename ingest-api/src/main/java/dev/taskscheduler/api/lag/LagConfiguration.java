package dev.taskscheduler.api.lag;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The consumer-lag monitor: its own admin client and a group-less consumer that only peeks at timestamps. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "scheduler.lag.enabled", matchIfMissing = true)
class LagConfiguration {

    @Bean
    ConsumerLagMonitor consumerLagMonitor(KafkaProperties kafka, LagProperties properties, MeterRegistry registry) {
        Admin admin = Admin.create(withClientId(kafka.buildAdminProperties(), "api-server-lag-admin"));
        Map<String, Object> consumerConfig = withClientId(kafka.buildConsumerProperties(), "api-server-lag-reader");
        // No group: it never commits, never joins, and so never shows up as lag itself.
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        // Committed records only, as the system's consumers read them (and past transaction markers).
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        ConsumerLagReader reader = new ConsumerLagReader(admin, consumer, properties, Clock.systemUTC());
        return new ConsumerLagMonitor(reader, properties, Clock.systemUTC(), registry, () -> {
            consumer.close();
            admin.close();
        });
    }

    private static Map<String, Object> withClientId(Map<String, Object> config, String clientId) {
        Map<String, Object> copy = new HashMap<>(config);
        copy.put("client.id", clientId);
        return copy;
    }
}
