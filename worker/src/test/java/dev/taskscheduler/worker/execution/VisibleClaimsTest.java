package dev.taskscheduler.worker.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.store.TaskChanges;
import dev.taskscheduler.store.TaskClaims;
import dev.taskscheduler.store.TaskClaims.Release;
import dev.taskscheduler.store.TaskRepository;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A release is claimed, tried again later while its row is not visible, or dropped as stale. */
@RealInfrastructure
class VisibleClaimsTest {

    private static final String WORKER = "worker-visible-claims";

    private DataSource dataSource;
    private JdbcClient db;

    @BeforeEach
    void migrate(Infrastructure infrastructure) {
        dataSource = infrastructure.dataSource();
        Flyway.configure().dataSource(dataSource).load().migrate();
        db = JdbcClient.create(dataSource);
    }

    /**
     * The insert commits after the claim's snapshot missed the row and before the look for it: the
     * row is there by then, yet the release must not pass for stale.
     */
    @Test
    void shouldClaimATaskWhoseRowBecameVisibleBetweenTheClaimAndTheLook() throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection inserting = dataSource.getConnection()) {
            inserting.setAutoCommit(false);
            long due = insertPending(inserting, id);
            TaskClaims claims = new TaskClaims(db, TaskChanges.IGNORED) {
                private boolean committed;

                @Override
                public List<StoredTask> claim(String workerId, Collection<Release> releases) {
                    List<StoredTask> claimed = super.claim(workerId, releases);
                    if (!committed) {
                        committed = true;
                        commit(inserting);
                    }
                    return claimed;
                }
            };

            VisibleClaims.Round round = new VisibleClaims(WORKER, claims, new TaskRepository(db, TaskChanges.IGNORED))
                    .claim(List.of(new Release(id, 0, due)));

            assertThat(round.claimed()).extracting(StoredTask::id).containsExactly(id);
            assertThat(round.notVisible()).isEmpty();
        }
        assertThat(db.sql("SELECT status FROM tasks WHERE id = ?").param(id).query(String.class).single())
                .isEqualTo("running");
    }

    @Test
    void shouldKeepAReleaseWithoutRowForLaterAndDropAStaleOne() throws SQLException {
        UUID missing = UUID.randomUUID();
        UUID moved = UUID.randomUUID();
        long due;
        try (Connection inserting = dataSource.getConnection()) {
            due = insertPending(inserting, moved);
        }
        TaskClaims claims = new TaskClaims(db, TaskChanges.IGNORED);

        VisibleClaims.Round round = new VisibleClaims(WORKER, claims, new TaskRepository(db, TaskChanges.IGNORED))
                .claim(List.of(new Release(missing, 0, due), new Release(moved, 0, due - 60_000)));

        assertThat(round.claimed()).isEmpty();
        assertThat(round.notVisible()).extracting(Release::taskId).containsExactly(missing);
        assertThat(db.sql("SELECT status FROM tasks WHERE id = ?").param(moved).query(String.class).single())
                .isEqualTo("pending");
    }

    /** Inserts a pending task due now on {@code connection}; returns its due time as releases carry it. */
    private static long insertPending(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO tasks (id, type, status, run_at) VALUES (?, 'noop', 'pending', now())")) {
            insert.setObject(1, id);
            insert.executeUpdate();
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT task_due_millis(run_at) FROM tasks WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static void commit(Connection connection) {
        try {
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
