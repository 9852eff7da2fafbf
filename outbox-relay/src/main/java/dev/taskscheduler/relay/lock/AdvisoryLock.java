package dev.taskscheduler.relay.lock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A held PostgreSQL session-level advisory lock. It lives as long as its connection: if the session ends (database
 * restart, network loss, {@code pg_terminate_backend}) the server releases it, which {@link #isHeld()} notices.
 */
public final class AdvisoryLock implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdvisoryLock.class);
    private static final int VALIDATION_TIMEOUT_SECONDS = 5;

    private final Connection connection;
    private final long key;

    AdvisoryLock(Connection connection, long key) {
        this.connection = connection;
        this.key = key;
    }

    public long key() {
        return key;
    }

    /** Whether the session holding the lock is still alive, and so the lock still ours. */
    public boolean isHeld() {
        try {
            return connection.isValid(VALIDATION_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Unlocks and closes the session; closing alone would release the lock too. */
    @Override
    public void close() {
        try (connection) {
            if (isHeld()) {
                try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    unlock.setLong(1, key);
                    unlock.execute();
                }
            }
        } catch (SQLException e) {
            log.warn("Could not release advisory lock {} cleanly; it is released with its session", key, e);
        }
    }
}
