package dev.taskscheduler.relay.engine;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

import org.postgresql.core.BaseConnection;
import org.postgresql.core.PGStream;
import org.postgresql.core.QueryExecutor;
import org.postgresql.core.QueryExecutorBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits on a replication connection's socket until the server sends something.
 *
 * <p>A non-blocking read of a PostgreSQL replication stream ({@code PGReplicationStream.readPending}) looks at the
 * socket with a one-millisecond timeout, because the driver turns its throttle of such checks off for replication
 * connections. Debezium's streaming loop makes five of those reads and then sleeps for its poll interval, so an idle
 * relay woke about 400 times a second and still saw a change only after the sleep. Blocking here instead wakes the
 * loop once when the server writes (a change, a keepalive) or when the wait ends.
 *
 * <p>The driver gives no public way to its stream, so it is read from the query executor by reflection; where that
 * fails, {@link #of} returns nothing and the caller keeps Debezium's own pause.
 */
public final class ReplicationSocket {

    private static final Logger log = LoggerFactory.getLogger(ReplicationSocket.class);

    private final PGStream stream;

    private ReplicationSocket(PGStream stream) {
        this.stream = stream;
    }

    /** The socket of {@code connection}, a PostgreSQL JDBC connection; empty if the driver's internals differ. */
    public static Optional<ReplicationSocket> of(Connection connection) {
        try {
            QueryExecutor executor = connection.unwrap(BaseConnection.class).getQueryExecutor();
            Field field = QueryExecutorBase.class.getDeclaredField("pgStream");
            field.setAccessible(true);
            return Optional.of(new ReplicationSocket((PGStream) field.get(executor)));
        } catch (SQLException | ReflectiveOperationException | RuntimeException e) {
            log.warn("Cannot wait on the replication connection's socket ({}); the relay pauses between reads instead",
                    e.toString());
            return Optional.empty();
        }
    }

    /**
     * Blocks until the server has sent data that is not yet read, or until {@code wait} has passed.
     *
     * @return whether data is waiting; {@code false} also when the socket failed or closed, which the next read reports
     */
    public boolean awaitData(Duration wait) {
        try {
            int previous = stream.getNetworkTimeout();
            // The driver's own check does the same with one millisecond: a timeout ends the peek, nothing is consumed.
            stream.setNetworkTimeout((int) Math.max(1, wait.toMillis()));
            try {
                stream.peekChar();
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } finally {
                stream.setNetworkTimeout(previous);
            }
        } catch (IOException e) {
            return false;
        }
    }
}
