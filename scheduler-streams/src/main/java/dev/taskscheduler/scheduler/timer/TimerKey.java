package dev.taskscheduler.scheduler.timer;

import java.nio.ByteBuffer;
import java.util.UUID;
import org.apache.kafka.common.utils.Bytes;

/**
 * Key of the timer store: due time (8 bytes, big-endian) then task id (16 bytes). Byte order equals
 * time order, so "everything due by now" is one range scan from the start of the store up to
 * {@link #upTo(long)}, touching only due entries however many timers lie in the future.
 */
public final class TimerKey {

    private static final int SIZE = Long.BYTES + 2 * Long.BYTES;

    private TimerKey() {
    }

    public static Bytes of(long dueMillis, UUID taskId) {
        return Bytes.wrap(ByteBuffer.allocate(SIZE)
                .putLong(Math.max(0, dueMillis))
                .putLong(taskId.getMostSignificantBits())
                .putLong(taskId.getLeastSignificantBits())
                .array());
    }

    /** The smallest key. */
    public static Bytes start() {
        return Bytes.wrap(new byte[SIZE]);
    }

    /** The largest key due at or before {@code nowMillis}. */
    public static Bytes upTo(long nowMillis) {
        return Bytes.wrap(ByteBuffer.allocate(SIZE)
                .putLong(Math.max(0, nowMillis))
                .putLong(-1L)
                .putLong(-1L)
                .array());
    }

    public static long dueMillis(Bytes key) {
        return ByteBuffer.wrap(key.get()).getLong();
    }
}
