package dev.taskscheduler.store.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.RetryPolicy;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.store.StoredTask;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The status cache's entry: a row written and read back is the same row, in fewer bytes. */
class CacheEntryTest {

    @Property
    void aRowReadBackFromItsEntryIsTheSameRow(@ForAll("rows") StoredTask row) {
        String entry = TaskStatusCache.entry(row);

        assertThat(TaskStatusCache.row(row.id(), entry)).contains(row);
    }

    @Property
    void anEntryIsShorterThanTheRowsFullJson(@ForAll("rows") StoredTask row) {
        assertThat(TaskStatusCache.entry(row).length() - TaskStatusCache.VERSION_DIGITS)
                .isLessThan(Json.write(row).length());
    }

    @Example
    void anEntryAnOlderVersionWroteWithTheRowsFullNamesReadsAsAMiss() {
        StoredTask row = CacheRows.row(UUID.randomUUID(), TaskStatus.PENDING, Instant.parse("2026-12-03T06:00:00Z"));
        String olderEntry = TaskStatusCache.entry(row).substring(0, TaskStatusCache.VERSION_DIGITS) + Json.write(row);

        assertThat(TaskStatusCache.row(row.id(), olderEntry)).isEmpty();
    }

    @Example
    void aShortTasksFinishedRowTakesAboutHalfTheBytesOfItsFullJson() {
        Instant created = Instant.parse("2026-12-03T05:21:32.197730Z");
        StoredTask row = new StoredTask(UUID.fromString("01a23a59-c80c-716e-b8b3-2c4ece21b56b"), "noop", "{\"n\": 1}",
                TaskStatus.SUCCEEDED, created, 0, 3, "worker-23424-f6d97e49", created, created.plusMillis(302),
                created.plusMillis(274), created.plusMillis(302), null, null, "abc-123-def",
                "a2d52eea693fd0b8d6568f128c4ac2091f24cb176ff75daf7d4d2542fc09ff6b", Duration.ofMinutes(5),
                RetryPolicy.defaults(), 0, TaskPriority.NORMAL);

        assertThat(TaskStatusCache.entry(row).length()).isLessThan((TaskStatusCache.VERSION_DIGITS
                + Json.write(row).length()) * 6 / 10);
    }

    @Provide
    Arbitrary<StoredTask> rows() {
        Arbitrary<Instant> instants = Arbitraries.longs().between(0, 9_999_999_999_999_999L)
                .map(CachedRow::instant);
        Arbitrary<String> texts = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<Duration> durations = Arbitraries.longs().between(0, 86_400_000L).map(Duration::ofMillis);
        Arbitrary<RetryPolicy> retries = Arbitraries.longs().between(0, 60_000).flatMap(initial -> Arbitraries
                .longs().between(initial, 3_600_000).flatMap(max -> Arbitraries.doubles().between(1, 10)
                        .map(multiplier -> new RetryPolicy(Duration.ofMillis(initial), multiplier,
                                Duration.ofMillis(max)))));
        return Builders.withBuilder(() -> new Row())
                .use(Arbitraries.create(UUID::randomUUID)).inSetter((r, v) -> r.id = v)
                .use(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20)).inSetter((r, v) -> r.type = v)
                .use(Arbitraries.of("{}", "{\"n\": 1}", "[1, \"two\", null]", "\"\\u00e9\"")).inSetter((r, v) -> r.payload = v)
                .use(Arbitraries.of(TaskStatus.class)).inSetter((r, v) -> r.status = v)
                .use(instants).inSetter((r, v) -> r.runAt = v)
                .use(Arbitraries.integers().between(0, 100)).inSetter((r, v) -> r.retryCount = v)
                .use(Arbitraries.integers().between(0, 100)).inSetter((r, v) -> r.maxRetries = v)
                .use(texts.injectNull(0.5)).inSetter((r, v) -> r.workerId = v)
                .use(instants).inSetter((r, v) -> r.createdAt = v)
                .use(instants).inSetter((r, v) -> r.updatedAt = v)
                .use(instants.injectNull(0.5)).inSetter((r, v) -> r.startedAt = v)
                .use(instants.injectNull(0.5)).inSetter((r, v) -> r.finishedAt = v)
                .use(texts.injectNull(0.5)).inSetter((r, v) -> r.lastError = v)
                .use(Arbitraries.of("{\"ok\": true}", "42").injectNull(0.5)).inSetter((r, v) -> r.result = v)
                .use(texts.injectNull(0.5)).inSetter((r, v) -> r.idempotencyKey = v)
                .use(Arbitraries.strings().numeric().ofLength(64).injectNull(0.2)).inSetter((r, v) -> r.fingerprint = v)
                .use(durations).inSetter((r, v) -> r.timeout = v)
                .use(retries).inSetter((r, v) -> r.retry = v)
                .use(Arbitraries.integers().between(0, 10)).inSetter((r, v) -> r.replayCount = v)
                .use(Arbitraries.of(TaskPriority.class)).inSetter((r, v) -> r.priority = v)
                .build(Row::build);
    }

    /** A row assembled field by field by the generator. */
    private static final class Row {
        UUID id;
        String type;
        String payload;
        TaskStatus status;
        Instant runAt;
        int retryCount;
        int maxRetries;
        String workerId;
        Instant createdAt;
        Instant updatedAt;
        Instant startedAt;
        Instant finishedAt;
        String lastError;
        String result;
        String idempotencyKey;
        String fingerprint;
        Duration timeout;
        RetryPolicy retry;
        int replayCount;
        TaskPriority priority;

        StoredTask build() {
            return new StoredTask(id, type, payload, status, runAt, retryCount, maxRetries, workerId, createdAt,
                    updatedAt, startedAt, finishedAt, lastError, result, idempotencyKey, fingerprint, timeout, retry,
                    replayCount, priority);
        }
    }
}
