package dev.taskscheduler.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.model.RetryPolicy;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.TaskStatus;
import dev.taskscheduler.model.submission.ValidSubmission;
import dev.taskscheduler.store.TaskClaims.Release;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The plans PostgreSQL chooses for the statements whose cost must not grow with anything but their
 * own batch: seen through {@code auto_explain}, which reports each plan, the trigger's own queries
 * included, as a notice on the one session these tests use.
 */
@RealInfrastructure
class StatementPlansTest {

    private static final String OBSERVER = "plans_observer";
    private static Infrastructure infrastructure;
    private SingleConnectionDataSource session;
    private final List<String> plans = new ArrayList<>();
    private JdbcClient db;

    @BeforeAll
    static void migrate(Infrastructure shared) {
        infrastructure = shared;
        Flyway.configure().dataSource(shared.dataSource()).load().migrate();
    }

    /**
     * A role of its own whose sessions load {@code auto_explain} and report every plan: only a
     * superuser may set that up, and no other test's session is touched.
     */
    @BeforeAll
    static void createObserverRole() {
        JdbcClient admin = JdbcClient.create(infrastructure.superuserDataSource());
        admin.sql("""
                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%1$s') THEN
                        CREATE ROLE %1$s LOGIN PASSWORD '%1$s';
                    END IF;
                END
                $$""".formatted(OBSERVER)).update();
        admin.sql("GRANT %s TO %s".formatted(infrastructure.jdbcUsername(), OBSERVER)).update();
        admin.sql("ALTER ROLE %s SET session_preload_libraries = 'auto_explain'".formatted(OBSERVER)).update();
        admin.sql("ALTER ROLE %s SET auto_explain.log_min_duration = 0".formatted(OBSERVER)).update();
        admin.sql("ALTER ROLE %s SET auto_explain.log_nested_statements = on".formatted(OBSERVER)).update();
        admin.sql("ALTER ROLE %s SET auto_explain.log_level = notice".formatted(OBSERVER)).update();
    }

    @BeforeEach
    void openObservedSession() throws SQLException {
        Connection connection = DriverManager.getConnection(infrastructure.jdbcUrl(), OBSERVER, OBSERVER);
        session = new SingleConnectionDataSource(connection, true);
        db = JdbcClient.create(new JdbcTemplate(session) {
            @Override
            protected void handleWarnings(Statement statement) throws SQLException {
                collect(statement.getWarnings());
            }
        });
    }

    @AfterEach
    void closeSession() {
        session.destroy();
    }

    /**
     * PL/pgSQL plans the trigger's queries at the session's first call, for that call's number of
     * rows. A first call of one row must not leave the session joining old and new rows with a
     * nested loop, n² for every later batch of n.
     */
    @Test
    void theUpdateTriggerHashesItsJoinsAfterAFirstCallOfOneRow() {
        TaskClaims claims = new TaskClaims(db, TaskChanges.IGNORED);
        List<StoredTask> tasks = insert(41);
        claims.claim("worker-plans", List.of(release(tasks.get(0))));
        plans.clear();

        List<StoredTask> claimed = claims.claim("worker-plans", tasks.subList(1, 41).stream().map(this::release).toList());

        assertThat(claimed).hasSize(40);
        List<String> triggerPlans = plans.stream().filter(plan -> plan.contains("old_rows")).toList();
        assertThat(triggerPlans).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(plan -> assertThat(plan).doesNotContain("Nested Loop"));
    }

    /**
     * A claim finds each released task by its id, however many tasks are pending: reading the
     * pending index instead would cost a claim the whole backlog.
     */
    @Test
    void aClaimLooksItsTasksUpByIdWhateverIsPending() {
        TaskClaims claims = new TaskClaims(db, TaskChanges.IGNORED);
        insertBacklog(20_000, "succeeded");
        db.sql("ANALYZE tasks").update(); // statistics of a large table with next to nothing pending
        insertBacklog(20_000, "pending"); // a backlog they have not seen
        List<StoredTask> tasks = insert(20);
        plans.clear();
        try {
            claims.claim("worker-plans", tasks.stream().map(this::release).toList());
        } finally {
            db.sql("DELETE FROM tasks WHERE type = 'plans-backlog'").update();
        }

        String claimPlan = plans.stream().filter(plan -> plan.contains("SET status = 'running'")).findFirst()
                .orElseThrow();
        assertThat(claimPlan).contains("tasks_pkey").doesNotContain("tasks_pending_run_at_idx")
                .doesNotContain("Seq Scan");
    }

    /**
     * With no index on status as such, the runbook's queries and a listing of a rare status still
     * find their rows through the partial indexes, however many finished tasks the table holds; a
     * listing by idempotency key reads the key's index.
     */
    @Test
    void theRunbookQueriesAndListingsOfRareStatusesReadAnIndex() {
        insertBacklog(20_000, "succeeded");
        db.sql("ANALYZE tasks").update();
        List<String> seen;
        try {
            plans.clear();
            db.sql("SELECT * FROM tasks WHERE status = 'running' AND updated_at < NOW() - INTERVAL '30 minutes'")
                    .query().listOfRows();
            db.sql("SELECT * FROM tasks WHERE status = 'dead_letter' LIMIT 5").query().listOfRows();
            TaskRepository tasks = new TaskRepository(db, TaskChanges.IGNORED);
            for (TaskStatus status : List.of(TaskStatus.CANCELLED, TaskStatus.DEAD_LETTER, TaskStatus.RUNNING)) {
                tasks.page(new TaskListFilter(status, null, null, null, null, null, null, null, null, null), null, 50);
            }
            tasks.page(new TaskListFilter(null, null, null, null, null, null, null, null, "a-submission-key", null),
                    null, 50);
            seen = List.copyOf(plans);
        } finally {
            db.sql("DELETE FROM tasks WHERE type = 'plans-backlog'").update();
        }

        // Neither a scan of the table nor a walk down the index of every task by creation time.
        assertThat(seen).hasSize(6).allSatisfy(plan -> assertThat(plan).doesNotContain("Seq Scan")
                .doesNotContain("tasks_created_at_idx"));
    }

    private void collect(SQLWarning warning) {
        for (SQLWarning w = warning; w != null; w = w.getNextWarning()) {
            plans.add(w.getMessage());
        }
    }

    private Release release(StoredTask task) {
        long dueMillis = db.sql("SELECT task_due_millis(run_at) FROM tasks WHERE id = ?").param(task.id())
                .query(Long.class).single();
        return new Release(task.id(), 0, dueMillis);
    }

    private List<StoredTask> insert(int count) {
        List<TaskRepository.NewTask> newTasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            newTasks.add(new TaskRepository.NewTask(UUID.randomUUID(), new ValidSubmission("noop", "{}",
                    Instant.now(), 1, Duration.ofMinutes(1), RetryPolicy.defaults(), null, "fingerprint",
                    TaskPriority.NORMAL)));
        }
        return new TaskRepository(db, TaskChanges.IGNORED).insertPendingAll(newTasks);
    }

    /** Tasks of a type no test runs, due in a year, written in one statement. */
    private void insertBacklog(int count, String status) {
        db.sql("""
                        INSERT INTO tasks (id, type, payload, status, run_at)
                        SELECT gen_random_uuid(), 'plans-backlog', '{}', :status, now() + interval '365 days'
                          FROM generate_series(1, :count)""")
                .param("status", status).param("count", count).update();
    }
}
