package dev.taskscheduler.api.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskscheduler.api.submission.RandomIds.RandomBits;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RandomIdsTest {

    @Test
    void idsAreVersion7WithTheMillisecondInFront() {
        UUID id = RandomIds.at(1_700_000_000_123L, bits());

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(1_700_000_000_123L);
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnes() {
        UUID earlier = RandomIds.at(1_700_000_000_123L, bits());
        UUID later = RandomIds.at(1_700_000_000_124L, bits());

        // PostgreSQL orders uuid values by their bytes, as unsigned numbers.
        assertThat(Long.compareUnsigned(later.getMostSignificantBits(), earlier.getMostSignificantBits()))
                .isPositive();
    }

    /** Not the platform default, whose instances on Linux all share one locked source. */
    @Test
    void aThreadsGeneratorIsADrbgOfItsOwn() {
        assertThat(RandomIds.ownGenerator().getAlgorithm()).isEqualTo("DRBG");
        assertThat(RandomIds.ownGenerator()).isNotSameAs(RandomIds.ownGenerator());
    }

    /**
     * Two generators seeded alike give the same bytes, so the bits can be compared with the bytes
     * the generator gave: in order, each used once, across several draws.
     */
    @Test
    void bitsAreTheGeneratorsBytesInOrderEachUsedOnce() throws Exception {
        RandomBits bits = new RandomBits(seeded(), 16);
        byte[] expected = new byte[48];
        SecureRandom twin = seeded();
        for (int draw = 0; draw < 3; draw++) {
            byte[] drawn = new byte[16];
            twin.nextBytes(drawn);
            System.arraycopy(drawn, 0, expected, draw * 16, 16);
        }

        ByteBuffer given = ByteBuffer.allocate(48);
        for (int i = 0; i < 6; i++) {
            given.putLong(bits.nextLong());
        }

        assertThat(given.array()).isEqualTo(expected);
    }

    @Test
    void drawsAreWholeLongs() {
        assertThatThrownBy(() -> new RandomBits(RandomIds.ownGenerator(), 12))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RandomBits(RandomIds.ownGenerator(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void threadsDrawingAtOnceGetDistinctIds() throws Exception {
        Set<UUID> seen = ConcurrentHashMap.newKeySet();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> draws = IntStream.range(0, 8).<Future<?>>mapToObj(i -> threads.submit(() -> {
                for (int n = 0; n < 10_000; n++) {
                    seen.add(RandomIds.next());
                }
            })).toList();
            for (Future<?> draw : draws) {
                draw.get();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(seen).hasSize(80_000);
    }

    private static RandomBits bits() {
        return new RandomBits(RandomIds.ownGenerator(), RandomIds.DRAW_BYTES);
    }

    /** SHA1PRNG seeded before its first use gives the same bytes for the same seed. */
    private static SecureRandom seeded() throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(42L);
        return random;
    }
}
