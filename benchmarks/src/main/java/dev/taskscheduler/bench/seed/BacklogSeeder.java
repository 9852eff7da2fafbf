package dev.taskscheduler.bench.seed;

import dev.taskscheduler.bench.system.Database;
import dev.taskscheduler.bench.system.Kafka;
import dev.taskscheduler.model.EventHeaders;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.TaskEvent;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.Topics;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.postgresql.PGConnection;

/**
 * Puts waiting tasks into the system faster than the API can: rows by COPY into {@code tasks}
 * with triggers off for that session (so no outbox events), and their TaskScheduled events
 * produced straight to {@code task.events} in the format the relay writes (key task id, JSON
 * value, headers {@code id} and {@code eventType}). Event versions are drawn from the database's
 * {@code task_event_version} sequence, so later real events of the same tasks still win.
 */
public final class BacklogSeeder {

    private static final int CHUNK = 50_000;

    private final Database db;
    private final Kafka kafka;

    public BacklogSeeder(Database db, Kafka kafka) {
        this.db = db;
        this.kafka = kafka;
    }

    /**
     * Seeds {@code count} pending tasks of {@code type}, due at random times between {@code from}
     * and {@code to}; with {@code withRows} false only the events are produced (timers with no row,
     * for a pool no worker reads).
     */
    public void seed(int count, String type, Instant from, Instant to, boolean withRows)
            throws SQLException, IOException {
        long firstVersion = reserveVersions(count);
        long span = Math.max(1, to.toEpochMilli() - from.toEpochMilli());
        try (KafkaProducer<String, String> producer = kafka.producer();
                Connection connection = db.connectAsSuperuser(db.endpoints().database())) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET session_replication_role = replica");
            }
            for (int start = 0; start < count; start += CHUNK) {
                int size = Math.min(CHUNK, count - start);
                UUID[] ids = new UUID[size];
                long[] due = new long[size];
                StringBuilder copy = new StringBuilder(size * 80);
                for (int i = 0; i < size; i++) {
                    ids[i] = UUID.randomUUID();
                    due[i] = from.toEpochMilli() + (span == 1 ? 0 : ThreadLocalRandom.current().nextLong(span));
                    copy.append(ids[i]).append(',').append(type).append(",pending,")
                            .append(Instant.ofEpochMilli(due[i])).append('\n');
                }
                if (withRows) {
                    connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
                            "COPY tasks (id, type, status, run_at) FROM STDIN (FORMAT csv)",
                            new StringReader(copy.toString()));
                }
                for (int i = 0; i < size; i++) {
                    producer.send(event(new TaskEvent(ids[i], type, 0, due[i], firstVersion + start + i,
                            TaskPriority.NORMAL)));
                }
            }
            producer.flush();
        }
    }

    private static ProducerRecord<String, String> event(TaskEvent event) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.TASK_EVENTS, event.taskId().toString(),
                Json.write(event));
        record.headers().add(EventHeaders.EVENT_ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add(EventHeaders.EVENT_TYPE, TaskEvent.SCHEDULED.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** Moves the sequence past {@code count} values and returns the first of them. */
    private long reserveVersions(int count) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT setval('task_event_version', nextval('task_event_version') + " + count + ")")) {
            rows.next();
            return rows.getLong(1) - count + 1;
        }
    }
}
