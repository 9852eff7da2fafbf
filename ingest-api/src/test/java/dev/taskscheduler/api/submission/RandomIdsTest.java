package dev.taskscheduler.api.submission;

import static org.assertj.core.api.Assertions.assertThat;

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
        UUID id = RandomIds.at(1_700_000_000_123L, RandomIds.ownGenerator());

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(1_700_000_000_123L);
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnes() {
        UUID earlier = RandomIds.at(1_700_000_000_123L, RandomIds.ownGenerator());
        UUID later = RandomIds.at(1_700_000_000_124L, RandomIds.ownGenerator());

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
}
