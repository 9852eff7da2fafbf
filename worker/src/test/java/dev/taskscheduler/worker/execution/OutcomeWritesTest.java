package dev.taskscheduler.worker.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.TransactionSystemException;

class OutcomeWritesTest {

    private final OutcomeWrites writes =
            new OutcomeWrites(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5));
    private final AtomicInteger calls = new AtomicInteger();

    @Test
    void shouldWriteAgainUntilTheDatabaseIsBack() {
        String written = writes.write("success of t", () -> {
            if (calls.incrementAndGet() < 4) {
                throw new DataAccessResourceFailureException("connection refused");
            }
            return "recorded";
        });

        assertThat(written).isEqualTo("recorded");
        assertThat(calls).hasValue(4);
    }

    @Test
    void shouldWriteAgainWhenTheRollbackAfterALostConnectionFailedToo() {
        String written = writes.write("success of t", () -> {
            if (calls.incrementAndGet() < 3) {
                // What a transaction template throws when PostgreSQL is killed mid-write: the broken pipe
                // is the application exception, hidden behind the rollback that failed on the dead connection.
                TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed",
                        new SQLException("Connection is closed", "08003"));
                rollbackFailed.initApplicationException(new DataAccessResourceFailureException("broken pipe"));
                throw rollbackFailed;
            }
            return "recorded";
        });

        assertThat(written).isEqualTo("recorded");
        assertThat(calls).hasValue(3);
    }

    @Test
    void shouldWriteAgainWhenTheCommitAndItsRollbackFailedOnADeadConnection() {
        String written = writes.write("success of t", () -> {
            if (calls.incrementAndGet() < 3) {
                // The transaction manager logs the failed commit and throws only the rollback's failure:
                // the pool's "connection is closed", SQLSTATE 08003.
                throw new TransactionSystemException("JDBC rollback failed",
                        new SQLException("Connection is closed", "08003"));
            }
            return "recorded";
        });

        assertThat(written).isEqualTo("recorded");
        assertThat(calls).hasValue(3);
    }

    @Test
    void shouldNotRepeatAWriteThatFailedForAnotherReason() {
        assertThatThrownBy(() -> writes.write("success of t", () -> {
            calls.incrementAndGet();
            throw new DataIntegrityViolationException("check constraint");
        })).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void shouldGiveUpWithTheLastErrorWhenTheTimeIsUp() {
        OutcomeWrites impatient = new OutcomeWrites(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(50));

        assertThatThrownBy(() -> impatient.write("success of t", () -> {
            calls.incrementAndGet();
            throw new DataAccessResourceFailureException("connection refused");
        })).isInstanceOf(DataAccessResourceFailureException.class);
        assertThat(calls.get()).isGreaterThan(1);
    }
}
