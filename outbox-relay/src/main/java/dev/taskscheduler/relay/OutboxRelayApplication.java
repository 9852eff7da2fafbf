package dev.taskscheduler.relay;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The outbox relay: streams the {@code outbox} table's WAL inserts to Kafka with Debezium.
 *
 * <p>Redis auto-configuration is excluded: task-store brings the Redis client along, but the relay never uses it
 * and must not report DOWN because no Redis is configured for it.
 */
@SpringBootApplication(excludeName = {
        "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
        "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
        "org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration"})
@ConfigurationPropertiesScan
public class OutboxRelayApplication {

    /** Configuration file name ({@code outbox-relay.yml}); each service has its own. */
    public static final String CONFIG_NAME = "outbox-relay";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(OutboxRelayApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
