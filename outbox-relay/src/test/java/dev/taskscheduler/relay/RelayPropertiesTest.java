package dev.taskscheduler.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class RelayPropertiesTest {

    @Test
    void defaultsSuitADevSetup() {
        RelayProperties properties = bind(Map.of());

        assertThat(properties.slotName()).isEqualTo("task_outbox_slot");
        assertThat(properties.publicationName()).isEqualTo("task_outbox_publication");
        assertThat(properties.pollInterval()).isEqualTo(Duration.ofMillis(10));
        assertThat(properties.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.offsets()).isEqualTo(
                new RelayProperties.Offsets("outbox-relay.offsets", 1, (short) 1, Duration.ofSeconds(1),
                        Duration.ofSeconds(2)));
        assertThat(properties.lock().checkInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.restart()).isEqualTo(new RelayProperties.Restart(Duration.ofSeconds(1), Duration.ofMinutes(1)));
        assertThat(properties.metrics().destinations()).containsExactly("task.events");
        assertThat(properties.engine()).isEmpty();
    }

    @Test
    void rejectsWhatPostgresOrTheBackoffCannotUse() {
        assertThatThrownBy(() -> bind(Map.of("scheduler.relay.slot-name", "Task-Slot")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("not a valid replication slot name");
        assertThatThrownBy(() -> bind(Map.of(
                "scheduler.relay.restart.initial-backoff", "2m",
                "scheduler.relay.restart.max-backoff", "1m")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("initial-backoff <= max-backoff");
    }

    @Test
    void engineOverridesKeepTheirDottedNames() {
        assertThat(bind(Map.of("scheduler.relay.engine[database.sslmode]", "require")).engine())
                .containsExactlyEntriesOf(Map.of("database.sslmode", "require"));
    }

    private static RelayProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("scheduler.relay", RelayProperties.class);
    }
}
