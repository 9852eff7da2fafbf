package dev.taskscheduler.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Which failures of real PostgreSQL connections are worth trying again. */
@RealInfrastructure
class TransientFailuresTest {

    private static DataSource plain;
    private static HikariDataSource pool;
    private static JdbcClient db;
    private static TransactionTemplate transaction;

    @BeforeAll
    static void connect(Infrastructure infrastructure) {
        plain = infrastructure.dataSource();
        HikariConfig config = new HikariConfig();
        config.setDataSource(plain);
        config.setMaximumPoolSize(2);
        pool = new HikariDataSource(config);
        db = JdbcClient.create(pool);
        transaction = new TransactionTemplate(new JdbcTransactionManager(pool));
        db.sql("CREATE TABLE IF NOT EXISTS transient_failures_probe (id uuid PRIMARY KEY)").update();
    }

    @AfterAll
    static void close() {
        db.sql("DROP TABLE IF EXISTS transient_failures_probe").update();
        pool.close();
    }

    @Test
    void shouldRetryACommitWhoseConnectionDiedBeforeItsAnswer() {
        Throwable failure = catchThrowable(() -> transaction.executeWithoutResult(status -> {
            db.sql("INSERT INTO transient_failures_probe (id) VALUES (?)").param(UUID.randomUUID()).update();
            terminate(db.sql("SELECT pg_backend_pid()").query(Integer.class).single());
        }));

        assertThat(failure).isNotNull();
        assertThat(TransientFailures.isTransient(failure)).as("%s", failure).isTrue();
    }

    @Test
    void shouldNotRetryARowTheDatabaseRefuses() {
        UUID id = UUID.randomUUID();
        db.sql("INSERT INTO transient_failures_probe (id) VALUES (?)").param(id).update();

        Throwable failure = catchThrowable(() -> transaction.executeWithoutResult(status ->
                db.sql("INSERT INTO transient_failures_probe (id) VALUES (?)").param(id).update()));

        assertThat(failure).isNotNull();
        assertThat(TransientFailures.isTransient(failure)).as("%s", failure).isFalse();
    }

    /** Ends a backend from another connection, and waits until it is gone. */
    private static void terminate(int pid) {
        try (Connection other = plain.getConnection(); Statement statement = other.createStatement();
                ResultSet ended = statement.executeQuery("SELECT pg_terminate_backend(" + pid + ", 10000)")) {
            assertThat(ended.next() && ended.getBoolean(1)).as("backend %d ended", pid).isTrue();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
