package dev.taskscheduler.api.submission;

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
 */
final class RandomIds {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(RandomIds::ownGenerator);

    private RandomIds() {
    }

    static UUID next() {
        return at(System.currentTimeMillis(), RANDOM.get());
    }

    static UUID at(long epochMillis, SecureRandom random) {
        long high = (epochMillis << 16) | 0x7000L | (random.nextInt() & 0x0FFF);
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
}
