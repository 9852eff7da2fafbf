package dev.taskscheduler.api.submission;

import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Ids of new tasks: UUID version 7 (RFC 9562), a millisecond timestamp followed by 74 random bits.
 * Time-ordered ids land at the end of the primary key's B-tree instead of on random pages, and the
 * tasks a statement claims or finishes together sit on a few of its pages.
 *
 * <p>Each thread draws from a DRBG of its own. {@link UUID#randomUUID()} and
 * {@code new SecureRandom()} would not do: on Linux the default ({@code NativePRNG}) serves every
 * instance from one shared source behind one lock, so under load the request threads queued for
 * it, and on two cores a holder preempted inside the lock held up all of them. A DRBG keeps its
 * state in the instance, seeded once from the system.
 *
 * <p>The bits are drawn {@value #DRAW_BYTES} bytes at a time ({@link RandomBits}): a DRBG's fixed
 * cost is per call, not per byte, and two calls per id (about 0.9 µs here) made it one of the
 * services' hottest frames under load; drawn in bulk, an id's bits cost about 35 ns.
 */
final class RandomIds {

    /** Bytes drawn from a thread's generator at once: the random bits of 256 ids. */
    static final int DRAW_BYTES = 4096;

    private static final ThreadLocal<RandomBits> RANDOM =
            ThreadLocal.withInitial(() -> new RandomBits(ownGenerator(), DRAW_BYTES));

    private RandomIds() {
    }

    static UUID next() {
        return at(System.currentTimeMillis(), RANDOM.get());
    }

    static UUID at(long epochMillis, RandomBits random) {
        long high = (epochMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFF);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    static SecureRandom ownGenerator() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            // Every JDK since 9 has DRBG; a stripped-down provider list still gets a strong generator.
            return new SecureRandom();
        }
    }

    /**
     * A generator's output, drawn a buffer at a time and handed out 64 bits at a time, each byte
     * once. One per thread: not thread-safe.
     */
    static final class RandomBits {

        private final SecureRandom generator;
        private final ByteBuffer drawn;

        RandomBits(SecureRandom generator, int drawBytes) {
            if (drawBytes < Long.BYTES || drawBytes % Long.BYTES != 0) {
                throw new IllegalArgumentException("draws are whole longs: " + drawBytes + " bytes");
            }
            this.generator = generator;
            this.drawn = ByteBuffer.allocate(drawBytes);
            drawn.position(drawBytes); // empty: the first call draws
        }

        long nextLong() {
            if (!drawn.hasRemaining()) {
                generator.nextBytes(drawn.array());
                drawn.clear();
            }
            return drawn.getLong();
        }
    }
}
