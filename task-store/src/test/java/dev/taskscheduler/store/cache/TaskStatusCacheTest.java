package dev.taskscheduler.store.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The write-through rules of the status cache on a real Redis and real transactions. */
@RealInfrastructure
class TaskStatusCacheTest {

    private static LettuceConnectionFactory connections;
    private static StringRedisTemplate redis;
    private static TaskStatusCache cache;
    private static TransactionTemplate transaction;

    @BeforeAll
    static void connect(Infrastructure infrastructure) {
        connections = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(infrastructure.redisHost(), infrastructure.redisPort()));
        connections.afterPropertiesSet();
        redis = new StringRedisTemplate(connections);
        redis.afterPropertiesSet();
        cache = new TaskStatusCache(redis, Duration.ofMinutes(5));
        transaction = new TransactionTemplate(new DataSourceTransactionManager(infrastructure.dataSource()));
    }

    @AfterAll
    static void disconnect() {
        cache.close();
        connections.destroy();
    }

    @Test
    void writesTheRowsOfACommittedTransactionAfterItsCommitOnly() {
        StoredTask first = task(TaskStatus.PENDING, Instant.now());
        StoredTask second = task(TaskStatus.PENDING, Instant.now());

        transaction.executeWithoutResult(status -> {
            cache.changed(List.of(first));
            cache.changed(List.of(second));
            assertThat(cache.get(first.id())).as("not before the commit").isEmpty();
        });

        assertThat(cache.get(first.id())).map(StoredTask::status).contains(TaskStatus.PENDING);
        assertThat(cache.get(second.id())).isPresent();
    }

    @Test
    void neverShowsARowOfARolledBackTransaction() {
        StoredTask task = task(TaskStatus.PENDING, Instant.now());

        transaction.executeWithoutResult(status -> {
            cache.changed(List.of(task));
            status.setRollbackOnly();
        });

        assertThat(cache.get(task.id())).isEmpty();
    }

    @Test
    void writesInsertedRowsBehindTheCommitAndNeverARolledBackOne() {
        StoredTask rolledBack = task(TaskStatus.PENDING, Instant.now());
        StoredTask committed = task(TaskStatus.PENDING, Instant.now());

        transaction.executeWithoutResult(status -> {
            cache.inserted(List.of(rolledBack));
            status.setRollbackOnly();
        });
        transaction.executeWithoutResult(status -> {
            cache.inserted(List.of(committed));
            assertThat(cache.get(committed.id())).as("not before the commit").isEmpty();
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> cache.get(committed.id()).isPresent());
        // One writer, in order: had the rolled-back row been queued, it would be written by now.
        assertThat(cache.get(rolledBack.id())).isEmpty();
    }

    @Test
    void theWriteBehindViewKeepsTheNewerVersionAgainstAnOlderOneWrittenThrough() {
        Instant then = Instant.now().truncatedTo(ChronoUnit.MICROS);
        StoredTask pending = task(TaskStatus.PENDING, then);
        StoredTask running = CacheRows.withStatus(pending, TaskStatus.RUNNING, then.plusMillis(5));
        StoredTask marker = task(TaskStatus.PENDING, then);

        transaction.executeWithoutResult(status -> cache.writeBehind().changed(List.of(running, marker)));
        cache.changed(List.of(pending));

        await().atMost(Duration.ofSeconds(5)).until(() -> cache.get(marker.id()).isPresent());
        assertThat(cache.get(pending.id())).map(StoredTask::status).contains(TaskStatus.RUNNING);
    }

    @Test
    void keepsTheNewerOfTwoVersionsWhateverOrderTheyArriveIn() {
        Instant then = Instant.now().truncatedTo(ChronoUnit.MICROS);
        StoredTask pending = task(TaskStatus.PENDING, then);
        StoredTask running = CacheRows.withStatus(pending, TaskStatus.RUNNING, then.plusMillis(5));

        cache.changed(List.of(running, CacheRows.withStatus(pending, TaskStatus.PENDING, then)));
        cache.changed(List.of(pending));

        assertThat(cache.get(pending.id())).map(StoredTask::status).contains(TaskStatus.RUNNING);
    }

    @Test
    void writesABatchLargerThanOneCallWithTheNewerVersionOfEachRow() {
        Instant then = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<StoredTask> pending = IntStream.range(0, TaskStatusCache.ROWS_PER_CALL * 2 + 1)
                .mapToObj(i -> task(TaskStatus.PENDING, then)).toList();
        StoredTask alreadyRunning = CacheRows.withStatus(pending.get(TaskStatusCache.ROWS_PER_CALL + 7), TaskStatus.RUNNING,
                then.plusMillis(5));
        cache.put(alreadyRunning);

        cache.putAll(pending);

        assertThat(pending).allSatisfy(task -> assertThat(cache.get(task.id())).map(StoredTask::status)
                .contains(task.id().equals(alreadyRunning.id()) ? TaskStatus.RUNNING : TaskStatus.PENDING));
    }

    @Test
    void anEntryAnOlderVersionWroteAsAHashReadsAsAMissAndTheNextWriteReplacesIt() {
        StoredTask task = task(TaskStatus.PENDING, Instant.now());
        redis.opsForHash().put("task:" + task.id(), "task", "{}");
        redis.opsForHash().put("task:" + task.id(), "version", "1");

        assertThat(cache.get(task.id())).isEmpty();

        cache.put(task);

        assertThat(cache.get(task.id())).map(StoredTask::status).contains(TaskStatus.PENDING);
        assertThat(redis.getExpire("task:" + task.id())).isPositive();
    }

    @Test
    void anEntryIsItsVersionAtAFixedWidthThenTheRow() {
        StoredTask early = task(TaskStatus.PENDING, Instant.parse("1970-01-01T00:00:00.000001Z"));
        StoredTask late = CacheRows.withStatus(early, TaskStatus.RUNNING, Instant.parse("2286-01-01T00:00:00Z"));

        assertThat(TaskStatusCache.entry(early)).startsWith("0000000000000001{");
        assertThat(TaskStatusCache.entry(late).substring(0, TaskStatusCache.VERSION_DIGITS)).containsOnlyDigits()
                .isGreaterThan(TaskStatusCache.entry(early).substring(0, TaskStatusCache.VERSION_DIGITS));
    }

    private static StoredTask task(TaskStatus status, Instant updatedAt) {
        return CacheRows.row(UUID.randomUUID(), status, updatedAt);
    }
}
