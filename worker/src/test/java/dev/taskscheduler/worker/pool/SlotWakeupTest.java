package dev.taskscheduler.worker.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SlotWakeupTest {

    private final AtomicInteger wakeups = new AtomicInteger();
    private final SlotWakeup slotWakeup = new SlotWakeup(wakeups::incrementAndGet);

    @Test
    void shouldWakeTheConsumerWhenASlotFreesAfterItFoundThePoolFull() {
        assertThat(slotWakeup.freeSlots(() -> 0)).isZero();

        slotWakeup.slotFreed(); // every handler returns before the consumer reaches its poll
        slotWakeup.slotFreed();

        assertThat(wakeups).hasValue(1);
    }

    @Test
    void shouldWakeTheConsumerWhenASlotFreesWhileItReadsTheFreeSlots() {
        int free = slotWakeup.freeSlots(() -> {
            slotWakeup.slotFreed(); // a handler returns just after the count was taken
            return 0;
        });

        assertThat(free).isZero();
        assertThat(wakeups).hasValue(1);
    }

    @Test
    void shouldNotWakeAConsumerThatFoundFreeSlots() {
        assertThat(slotWakeup.freeSlots(() -> 3)).isEqualTo(3);

        slotWakeup.slotFreed();

        assertThat(wakeups).hasValue(0);
    }

    @Test
    void shouldArmAgainOnEveryReadOfAFullPool() {
        slotWakeup.freeSlots(() -> 0);
        slotWakeup.slotFreed();
        slotWakeup.freeSlots(() -> 0);
        slotWakeup.slotFreed();

        assertThat(wakeups).hasValue(2);
    }
}
