package dev.taskscheduler.relay.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.taskscheduler.relay.RelayProperties;
import dev.taskscheduler.relay.engine.RelayStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class RelayMetricsTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final RelayMetrics metrics = new RelayMetrics(registry, new Binder(new MapConfigurationPropertySource(
            Map.of("scheduler.relay.metrics.destinations", "task.events,tasks.dlq")))
            .bindOrCreate("scheduler.relay", RelayProperties.class), new RelayStatus());

    @Test
    void metersExistAtZeroFromTheStart() {
        assertThat(registry.get("outbox.relay.events").tag("topic", "task.events").counter().count()).isZero();
        assertThat(registry.get("outbox.relay.events").tag("topic", "tasks.dlq").counter().count()).isZero();
        assertThat(registry.get("outbox.relay.delay").timer().count()).isZero();
        assertThat(registry.get("outbox.relay.active").gauge().value()).isZero();
    }

    @Test
    void topicTagsAreCapped() {
        for (int i = 0; i < RelayMetrics.MAX_TOPIC_TAGS + 10; i++) {
            metrics.delivered("topic-" + i, Duration.ofMillis(5));
        }

        assertThat(registry.find("outbox.relay.events").counters()).hasSize(RelayMetrics.MAX_TOPIC_TAGS + 1);
        assertThat(registry.get("outbox.relay.events").tag("topic", RelayMetrics.OTHER_TOPICS).counter().count())
                .isEqualTo(12); // two configured topics took two of the slots
        assertThat(registry.get("outbox.relay.delay").timer().count()).isEqualTo(RelayMetrics.MAX_TOPIC_TAGS + 10);
    }

    @Test
    void aCommitTimeAheadOfTheRelayClockCountsAsNoDelay() {
        metrics.delivered("task.events", Duration.ofMillis(-3));

        assertThat(registry.get("outbox.relay.delay").timer().max(TimeUnit.MILLISECONDS)).isZero();
    }
}
