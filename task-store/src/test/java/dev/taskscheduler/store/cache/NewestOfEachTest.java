package dev.taskscheduler.store.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.store.StoredTask;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Which rows of a batch the writer thread hands to Redis: the newest of each task. */
class NewestOfEachTest {

    private static final List<UUID> TASKS = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
            UUID.randomUUID());
    private static final Instant BASE = Instant.parse("2026-12-02T12:00:00Z");

    @Property
    void keepsOneRowPerTaskWithItsLatestVersionInTheOrderTasksFirstCame(@ForAll("batches") List<StoredTask> batch) {
        List<StoredTask> kept = WriteBehind.newestOfEach(batch);

        Set<UUID> firstSeen = batch.stream().map(StoredTask::id).collect(Collectors.toCollection(LinkedHashSet::new));
        assertThat(kept).extracting(StoredTask::id).containsExactlyElementsOf(firstSeen);
        Map<UUID, Instant> latest = batch.stream().collect(Collectors.toMap(StoredTask::id, StoredTask::updatedAt,
                (a, b) -> a.isAfter(b) ? a : b));
        assertThat(kept).allSatisfy(row -> assertThat(row.updatedAt()).isEqualTo(latest.get(row.id())));
    }

    @Property
    void onATieTheLaterRowWins(@ForAll("batches") List<StoredTask> batch) {
        List<StoredTask> kept = WriteBehind.newestOfEach(batch);

        Map<UUID, StoredTask> byId = kept.stream().collect(Collectors.toMap(StoredTask::id, Function.identity()));
        for (int i = 0; i < batch.size(); i++) {
            StoredTask row = batch.get(i);
            boolean laterOrSameVersionFollows = batch.subList(i + 1, batch.size()).stream()
                    .anyMatch(other -> other.id().equals(row.id()) && !other.updatedAt().isBefore(row.updatedAt()));
            boolean newerCameBefore = batch.subList(0, i).stream()
                    .anyMatch(other -> other.id().equals(row.id()) && other.updatedAt().isAfter(row.updatedAt()));
            assertThat(byId.get(row.id()) == row)
                    .as("row %d kept", i)
                    .isEqualTo(!laterOrSameVersionFollows && !newerCameBefore);
        }
    }

    @Provide
    Arbitrary<List<StoredTask>> batches() {
        Arbitrary<StoredTask> row = Combinators.combine(Arbitraries.of(TASKS), Arbitraries.integers().between(0, 5),
                Arbitraries.of(TaskStatus.PENDING, TaskStatus.RUNNING, TaskStatus.SUCCEEDED)).as(NewestOfEachTest::row);
        return row.list().ofMinSize(1).ofMaxSize(20);
    }

    private static StoredTask row(UUID id, int version, TaskStatus status) {
        return CacheRows.row(id, status, BASE.plusMillis(version));
    }
}
