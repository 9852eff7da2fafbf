package dev.taskscheduler.api.submission;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Ids of tasks submitted without an idempotency key: UUID version 7 (RFC 9562), a millisecond
 * timestamp followed by 74 random bits. Time-ordered ids land at the end of the primary key's
 * B-tree instead of on random pages, and each thread draws from a generator of its own, where
 * {@link UUID#randomUUID()} makes every request thread queue for one shared generator.
 */
final class RandomIds {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

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
}
