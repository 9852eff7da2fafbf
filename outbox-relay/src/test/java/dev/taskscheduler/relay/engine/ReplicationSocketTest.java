package dev.taskscheduler.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.PGReplicationStream;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Waiting on a real replication connection: it wakes when the server sends, and a wait that ends empty takes nothing. */
@RealInfrastructure
class ReplicationSocketTest {

    private static final String PUBLICATION = "task_outbox_publication";

    private final Infrastructure infrastructure;
    private final JdbcClient db;
    private final String slot = "replication_socket_test_" + UUID.randomUUID().toString().replace("-", "");
    private Connection connection;
    private PGReplicationStream stream;
    private ReplicationSocket socket;

    ReplicationSocketTest(Infrastructure infrastructure) {
        this.infrastructure = infrastructure;
        this.db = JdbcClient.create(infrastructure.dataSource());
    }

    @BeforeEach
    void startStreaming() throws SQLException {
        // The migrations create the relay's publication, which any logical message is decoded for.
        Flyway.configure().dataSource(infrastructure.dataSource()).load().migrate();
        Properties properties = new Properties();
        PGProperty.USER.set(properties, infrastructure.jdbcUsername());
        PGProperty.PASSWORD.set(properties, infrastructure.jdbcPassword());
        PGProperty.REPLICATION.set(properties, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "9.4");
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        connection = DriverManager.getConnection(infrastructure.jdbcUrl(), properties);
        PGConnection replication = connection.unwrap(PGConnection.class);
        replication.getReplicationAPI().createReplicationSlot().logical()
                .withSlotName(slot).withOutputPlugin("pgoutput").withTemporaryOption().make();
        stream = replication.getReplicationAPI().replicationStream().logical()
                .withSlotName(slot)
                .withSlotOption("proto_version", 1)
                .withSlotOption("publication_names", PUBLICATION)
                .withSlotOption("messages", true)
                .withStatusInterval(10, TimeUnit.SECONDS)
                .start();
        socket = ReplicationSocket.of(connection).orElseThrow();
    }

    @AfterEach
    void stopStreaming() throws SQLException {
        // The slot is temporary: it goes with the connection.
        if (!connection.isClosed()) {
            stream.close();
            connection.close();
        }
    }

    @Test
    void aWaitEndsAsSoonAsTheServerSendsAChange() throws Exception {
        String content = "wakes-" + UUID.randomUUID();
        Executor later = CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS);
        CompletableFuture<Void> emitted = CompletableFuture.runAsync(() -> emit(content), later);

        // Far longer than the message takes: only the arrival can end this wait with data.
        assertThat(socket.awaitData(Duration.ofSeconds(30))).isTrue();

        emitted.join();
        assertThat(readUntilMessage()).contains(content);
    }

    @Test
    void aWaitWithNothingToReadSleepsThroughItsTimeAndTakesNothingFromTheStream() throws Exception {
        Duration wait = Duration.ofMillis(300);
        // The server pings the client whenever WAL moves anywhere in the cluster (another test's database, a
        // checkpoint), and a ping rightly ends a wait: measure waits until one ends with nothing to read.
        TimedWait quiet = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> timedWait(wait), timed -> !timed.data());

        assertThat(quiet.wall()).isGreaterThanOrEqualTo(wait);
        assertThat((double) quiet.cpuNanos() / quiet.wall().toNanos())
                .as("CPU time / wall time of the waiting thread").isLessThan(0.05);

        // The stream still reads what comes next, whole.
        String content = "after-timeout-" + UUID.randomUUID();
        emit(content);
        assertThat(readUntilMessage()).contains(content);
    }

    @Test
    void aWaitOnAClosedConnectionEndsAtOnceWithNothing() throws Exception {
        stream.close();
        connection.close();
        long start = System.nanoTime();

        assertThat(socket.awaitData(Duration.ofSeconds(30))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    private void emit(String content) {
        db.sql("SELECT pg_logical_emit_message(true, 'replication-socket-test', ?)").param(content).query().singleRow();
    }

    /** One wait, after reading whatever the server had already sent: whether it ended with data, and what it cost. */
    private TimedWait timedWait(Duration wait) throws SQLException {
        while (stream.readPending() != null) {
            // Drained: a keepalive or the start of streaming, nothing this test sent.
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long wallStart = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        boolean data = socket.awaitData(wait);
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        return new TimedWait(data, Duration.ofNanos(System.nanoTime() - wallStart), cpu);
    }

    private record TimedWait(boolean data, Duration wall, long cpuNanos) {
    }

    /** Reads the stream until a decoded message arrives, and returns its bytes as text. */
    private String readUntilMessage() {
        StringBuilder seen = new StringBuilder();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            ByteBuffer buffer = stream.readPending();
            if (buffer == null) {
                socket.awaitData(Duration.ofMillis(100));
                return false;
            }
            // pgoutput: 'M' is a logical decoding message; BEGIN and COMMIT frame a transactional one.
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            if (bytes.length > 0 && bytes[0] == 'M') {
                seen.append(new String(bytes, StandardCharsets.ISO_8859_1));
                return true;
            }
            return false;
        });
        return seen.toString();
    }
}
