package dev.taskscheduler.relay.lock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RelayLockTest {

    @Test
    void theKeyNeverChangesForASlot() {
        // Old and new versions must compete for the same lock during a rolling deployment.
        assertThat(RelayLock.keyFor("outbox_relay_it_slot")).isEqualTo(-3795665004554506207L);
    }

    @Test
    void slotsHaveTheirOwnKeys() {
        assertThat(RelayLock.keyFor("task_outbox_slot")).isNotEqualTo(RelayLock.keyFor("other_slot"));
    }
}
