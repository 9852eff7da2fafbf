package dev.taskscheduler.relay.lock;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

import dev.taskscheduler.relay.RelayProperties;
import org.postgresql.Driver;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.stereotype.Component;

/**
 * The lock that makes one relay per replication slot the active one. A replication slot serves one reader at a
 * time anyway; the lock lets a standby wait quietly instead of failing against the busy slot.
 *
 * <p>The lock is held on a dedicated connection outside the connection pool, so the pool never recycles or shares
 * the session that owns it.
 */
@Component
public class RelayLock {

    private static final String APPLICATION_NAME = "outbox-relay lock";

    private final JdbcConnectionDetails jdbc;
    private final long key;

    public RelayLock(JdbcConnectionDetails jdbc, RelayProperties properties) {
        this.jdbc = jdbc;
        this.key = keyFor(properties.slotName());
    }

    /** The advisory lock key ({@code pg_locks}: high half in {@code classid}, low half in {@code objid}). */
    public long key() {
        return key;
    }

    /**
     * One attempt, without waiting.
     *
     * @return the held lock, or empty when another session holds it
     * @throws SQLException when the database cannot be reached
     */
    public Optional<AdvisoryLock> tryAcquire() throws SQLException {
        Connection connection = connect();
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, key);
            try (ResultSet result = statement.executeQuery()) {
                if (result.next() && result.getBoolean(1)) {
                    return Optional.of(new AdvisoryLock(connection, key));
                }
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        connection.close();
        return Optional.empty();
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", jdbc.getUsername());
        if (jdbc.getPassword() != null) {
            properties.setProperty("password", jdbc.getPassword());
        }
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        properties.setProperty("tcpKeepAlive", "true");
        Connection connection = new Driver().connect(jdbc.getJdbcUrl(), properties);
        if (connection == null) {
            throw new SQLException("Not a PostgreSQL JDBC URL: " + jdbc.getJdbcUrl());
        }
        return connection;
    }

    /**
     * A 64-bit key per slot: relays of one slot exclude each other, relays of different slots do not. Never change
     * the derivation: during a rolling deployment old and new versions must compete for the same lock.
     */
    static long keyFor(String slotName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("outbox-relay:" + slotName).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a mandatory JDK algorithm", e);
        }
    }
}
