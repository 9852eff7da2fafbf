package dev.taskscheduler.worker.pool;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

/**
 * Wakes a consumer that waits in a poll because its handler pool is full, as soon as a handler
 * returns. The consumer arms it before it reads the free slots, not after: with short tasks every
 * handler may return between the read and the poll, and a wakeup asked for before the arming would
 * be lost, so a full pool of short tasks would wait out the whole poll with every slot free.
 */
final class SlotWakeup {

    private final AtomicBoolean armed = new AtomicBoolean();
    private final Runnable wake;

    /** @param wake ends the consumer's poll (e.g. {@code consumer::wakeup}); called from handler threads */
    SlotWakeup(Runnable wake) {
        this.wake = wake;
    }

    /**
     * Reads the free slots; when there are none, stays armed, so that the next freed slot wakes the
     * poll that follows (a slot freed meanwhile ends that poll at once).
     */
    int freeSlots(IntSupplier freeSlots) {
        armed.set(true);
        int free = freeSlots.getAsInt();
        if (free > 0) {
            armed.set(false);
        }
        return free;
    }

    /** A handler returned: wakes the consumer if it waits for a slot. */
    void slotFreed() {
        if (armed.compareAndSet(true, false)) {
            wake.run();
        }
    }
}
