package dev.taskscheduler.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.model.RetryPolicy;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.submission.ValidSubmission;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Keyset pages of the task list: tasks created in the same microsecond are neither skipped nor repeated. */
@RealInfrastructure
class TaskPagingTest {

    private static JdbcClient db;
    private static TaskRepository tasks;

    @BeforeAll
    static void migrate(Infrastructure infrastructure) {
        Flyway.configure().dataSource(infrastructure.dataSource()).load().migrate();
        db = JdbcClient.create(infrastructure.dataSource());
        tasks = new TaskRepository(db, TaskChanges.IGNORED);
    }

    @Test
    void shouldPageThroughTasksSharingATimestampWithoutSkippingOrRepeatingOne() {
        String type = "paged-" + UUID.randomUUID();
        List<UUID> ids = tasks.insertPendingAll(IntStream.range(0, 7)
                        .mapToObj(i -> new TaskRepository.NewTask(UUID.randomUUID(), submission(type))).toList())
                .stream().map(StoredTask::id).toList();
        Instant shared = Instant.now().truncatedTo(ChronoUnit.MICROS);
        db.sql("UPDATE tasks SET created_at = ? WHERE type = ?").params(Timestamp.from(shared), type).update();
        TaskListFilter filter = new TaskListFilter(null, type, null, null, null, null, null, null, null, null);

        List<UUID> seen = new ArrayList<>();
        PageCursor after = null;
        List<StoredTask> page;
        do {
            page = tasks.page(filter, after, 3);
            page.forEach(task -> seen.add(task.id()));
            after = page.isEmpty() ? null : new PageCursor(page.get(page.size() - 1).createdAt(),
                    page.get(page.size() - 1).id());
        } while (page.size() == 3);

        assertThat(seen).containsExactlyElementsOf(ids.stream().sorted(Comparator.comparing(UUID::toString).reversed()).toList());
    }

    private static ValidSubmission submission(String type) {
        return new ValidSubmission(type, "{}", Instant.now().plusSeconds(3600).truncatedTo(ChronoUnit.MILLIS), 1,
                Duration.ofMinutes(1), RetryPolicy.defaults(), null, "fingerprint", TaskPriority.NORMAL);
    }
}
