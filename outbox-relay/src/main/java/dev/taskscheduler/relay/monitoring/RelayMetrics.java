package dev.taskscheduler.relay.monitoring;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.taskscheduler.relay.RelayProperties;
import dev.taskscheduler.relay.engine.RelayStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The relay's own meters, registered at startup so dashboards and alerts see them at zero: events relayed per
 * topic ({@code outbox_relay_events_total}), commit-to-ack delay ({@code outbox_relay_delay_seconds}) and whether
 * this instance is the active one ({@code outbox_relay_active}).
 */
@Component
public class RelayMetrics {

    private static final Logger log = LoggerFactory.getLogger(RelayMetrics.class);

    /** Topics come from the outbox rows; the cap keeps a bad destination value from exploding the series count. */
    static final int MAX_TOPIC_TAGS = 50;
    static final String OTHER_TOPICS = "other";

    private final MeterRegistry registry;
    private final Timer delay;
    private final Map<String, Counter> eventsByTopic = new ConcurrentHashMap<>();

    public RelayMetrics(MeterRegistry registry, RelayProperties properties, RelayStatus status) {
        this.registry = registry;
        this.delay = Timer.builder("outbox.relay.delay")
                .description("Time from the commit of an outbox event in PostgreSQL to its acknowledgement by Kafka")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
        Gauge.builder("outbox.relay.active", status, s -> s.active() ? 1 : 0)
                .description("1 when this instance holds the relay lock and relays the outbox, 0 on a standby")
                .register(registry);
        properties.metrics().destinations().forEach(this::eventCounter);
    }

    /**
     * Records one event acknowledged by Kafka.
     *
     * @param delay commit-to-ack time; {@code null} when the commit time is unknown
     */
    public void delivered(String topic, Duration delay) {
        eventCounter(topic).increment();
        if (delay != null) {
            // The commit time is PostgreSQL's clock: with skew between the hosts the difference can come out negative.
            this.delay.record(delay.isNegative() ? Duration.ZERO : delay);
        }
    }

    private Counter eventCounter(String topic) {
        Counter counter = eventsByTopic.get(topic);
        if (counter != null) {
            return counter;
        }
        if (eventsByTopic.size() >= MAX_TOPIC_TAGS) {
            return eventsByTopic.computeIfAbsent(OTHER_TOPICS, other -> {
                log.warn("More than {} outbox destinations; events to further topics such as '{}' are counted under "
                        + "topic=\"{}\"", MAX_TOPIC_TAGS, topic, OTHER_TOPICS);
                return register(OTHER_TOPICS);
            });
        }
        return eventsByTopic.computeIfAbsent(topic, this::register);
    }

    private Counter register(String topic) {
        return Counter.builder("outbox.relay.events")
                .description("Outbox events relayed to Kafka (acknowledged), by destination topic")
                .tag("topic", topic)
                .register(registry);
    }
}
