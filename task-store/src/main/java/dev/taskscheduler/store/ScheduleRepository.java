package dev.taskscheduler.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Plain-SQL access to {@code schedules}; the table's trigger relays every change to the scheduler. */
public class ScheduleRepository {

    private static final String COLUMNS = """
            id, name, cron, time_zone, task_type, task_payload::text AS task_payload, task_priority, max_retries,
            misfire_policy, paused, created_at, updated_at""";
    private static final RowMapper<StoredSchedule> ROW_MAPPER = ScheduleRepository::mapRow;

    private final JdbcClient jdbc;

    public ScheduleRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public StoredSchedule insert(StoredSchedule schedule) {
        return bindDefinition(jdbc.sql("""
                        INSERT INTO schedules (id, name, cron, time_zone, task_type, task_payload, task_priority,
                                               max_retries, misfire_policy, paused)
                        VALUES (:id, :name, :cron, :zone, :type, :payload::jsonb, :priority, :maxRetries, :misfire,
                                :paused)
                        RETURNING %s""".formatted(COLUMNS)), schedule)
                .param("paused", schedule.paused())
                .query(ROW_MAPPER)
                .single();
    }

    /** Replaces the definition (not the paused flag). Empty when the schedule does not exist. */
    public Optional<StoredSchedule> update(StoredSchedule schedule) {
        return bindDefinition(jdbc.sql("""
                        UPDATE schedules
                           SET name = :name, cron = :cron, time_zone = :zone, task_type = :type,
                               task_payload = :payload::jsonb, task_priority = :priority, max_retries = :maxRetries,
                               misfire_policy = :misfire,
                               updated_at = now()
                         WHERE id = :id
                        RETURNING %s""".formatted(COLUMNS)), schedule)
                .query(ROW_MAPPER)
                .optional();
    }

    private static JdbcClient.StatementSpec bindDefinition(JdbcClient.StatementSpec statement, StoredSchedule schedule) {
        return statement
                .param("id", schedule.id())
                .param("name", schedule.name())
                .param("cron", schedule.cron())
                .param("zone", schedule.timeZone())
                .param("type", schedule.taskType())
                .param("payload", schedule.taskPayloadJson())
                .param("priority", schedule.taskPriority())
                .param("maxRetries", schedule.maxRetries())
                .param("misfire", schedule.misfirePolicy());
    }

    public Optional<StoredSchedule> setPaused(UUID id, boolean paused) {
        return jdbc.sql("UPDATE schedules SET paused = :paused, updated_at = now() WHERE id = :id RETURNING " + COLUMNS)
                .param("id", id)
                .param("paused", paused)
                .query(ROW_MAPPER)
                .optional();
    }

    public boolean delete(UUID id) {
        return jdbc.sql("DELETE FROM schedules WHERE id = :id").param("id", id).update() == 1;
    }

    public Optional<StoredSchedule> findById(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM schedules WHERE id = :id").param("id", id)
                .query(ROW_MAPPER).optional();
    }

    public int count() {
        return jdbc.sql("SELECT count(*) FROM schedules").query(Integer.class).single();
    }

    public List<StoredSchedule> list() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM schedules ORDER BY name").query(ROW_MAPPER).list();
    }

    private static StoredSchedule mapRow(ResultSet rs, int rowNum) throws SQLException {
        return new StoredSchedule(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("cron"),
                rs.getString("time_zone"),
                rs.getString("task_type"),
                rs.getString("task_payload"),
                rs.getString("task_priority"),
                (Integer) rs.getObject("max_retries"),
                rs.getString("misfire_policy"),
                rs.getBoolean("paused"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
