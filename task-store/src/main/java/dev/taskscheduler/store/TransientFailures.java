package dev.taskscheduler.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a database failure that may pass by itself (the database or the network is down, a
 * connection dropped) from one that repeating the same work will meet again (a row the database refuses, a
 * bug). The first kind is worth retrying for as long as it lasts; the second must not block
 * anything behind it.
 */
public final class TransientFailures {

    private TransientFailures() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException
                    || cause instanceof TransientDataAccessException
                    || cause instanceof RecoverableDataAccessException
                    || cause instanceof CannotCreateTransactionException
                    || cause instanceof SQLTransientException
                    || cause instanceof SQLRecoverableException) {
                return true;
            }
            // A connection exception (SQLSTATE class 08) or the server shutting down or crashing (57P):
            // what a rollback or commit on a dead connection reports, without a translated type.
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            // A connection lost mid-transaction fails the rollback too, and the template then throws the
            // rollback's failure with the one that caused it (the lost connection) kept aside.
            if (cause instanceof TransactionSystemException rollbackFailed
                    && rollbackFailed.getApplicationException() != null
                    && isTransient(rollbackFailed.getApplicationException())) {
                return true;
            }
            // A commit whose answer was lost: the pool closes the broken connection, the template then
            // rolls back on it, and only that rollback's failure is thrown (the pool's "Connection is
            // closed", without an SQLSTATE); the lost commit is merely logged.
            if (cause instanceof TransactionSystemException systemFailure
                    && systemFailure.getCause() instanceof SQLException sql && sql.getSQLState() == null) {
                return true;
            }
        }
        return false;
    }
}
