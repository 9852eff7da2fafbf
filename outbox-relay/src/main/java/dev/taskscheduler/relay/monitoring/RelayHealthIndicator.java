package dev.taskscheduler.relay.monitoring;

import dev.taskscheduler.relay.RelayProperties;
import dev.taskscheduler.relay.engine.RelayStatus;
import dev.taskscheduler.relay.lock.RelayLock;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health component {@code outboxRelay}: whether this instance is the active relay, what its engine is doing, and the
 * last engine failure. A standby is healthy; an engine waiting to restart after a failure is DOWN.
 */
@Component("outboxRelay")
public class RelayHealthIndicator implements HealthIndicator {

    private final RelayStatus status;
    private final RelayProperties properties;
    private final RelayLock lock;

    public RelayHealthIndicator(RelayStatus status, RelayProperties properties, RelayLock lock) {
        this.status = status;
        this.properties = properties;
        this.lock = lock;
    }

    @Override
    public Health health() {
        RelayStatus.State state = status.state();
        Health.Builder health = state == RelayStatus.State.RESTARTING ? Health.down() : Health.up();
        health.withDetail("active", status.active())
                .withDetail("state", state.name())
                .withDetail("slot", properties.slotName())
                .withDetail("lockKey", lock.key());
        String lastError = status.lastError();
        if (lastError != null) {
            health.withDetail("lastError", lastError);
        }
        return health.build();
    }
}
