package dev.taskscheduler.relay.monitoring;

import java.util.Map;

import javax.sql.DataSource;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The database server's backups as PostgreSQL itself reports them, for the backup alerts: the WAL archiver's
 * statistics ({@code pg_stat_archiver}) and the newest base backup. The relay exports them because it is the service
 * that already watches the server's WAL (its slot); every instance does, with the same values.
 *
 * <ul>
 *   <li>{@code postgres_wal_archive_last_success_timestamp_seconds}: when the last WAL segment was archived;</li>
 *   <li>{@code postgres_wal_archive_last_failure_timestamp_seconds}: when archiving last failed;</li>
 *   <li>{@code postgres_wal_archive_failures_total}: failed archive attempts since the statistics were reset;</li>
 *   <li>{@code postgres_base_backup_last_timestamp_seconds}: when the newest base backup (pgBackRest, or any tool
 *       using PostgreSQL's backup functions) finished: the modification time of the newest backup history file
 *       ({@code *.backup}) in {@code pg_wal}, which PostgreSQL writes when a backup stops and keeps until the next
 *       one.</li>
 * </ul>
 *
 * <p>Where archiving is off they are NaN: there is nothing to alert on. Where it is on, "never" is 0, so an age
 * computed from it is huge and the alerts fire (no archived segment, no base backup: no point-in-time restore). NaN
 * too while the database cannot be asked. Reading {@code pg_wal} needs the role {@code pg_monitor} (or a superuser).
 */
@Component
public class WalArchiveMetrics {

    private static final Logger log = LoggerFactory.getLogger(WalArchiveMetrics.class);
    private static final int QUERY_TIMEOUT_SECONDS = 5;
    private static final String ARCHIVER = """
            SELECT current_setting('archive_mode') <> 'off' AS archiving,
                   coalesce(extract(epoch FROM last_archived_time), 0) AS last_success,
                   coalesce(extract(epoch FROM last_failed_time), 0) AS last_failure,
                   failed_count
              FROM pg_stat_archiver""";
    private static final String LAST_BASE_BACKUP = """
            SELECT coalesce(extract(epoch FROM max(modification)), 0)
              FROM pg_ls_waldir() WHERE name LIKE '%.backup'""";

    private final JdbcTemplate jdbc;

    public WalArchiveMetrics(DataSource dataSource, MeterRegistry registry) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
        Gauge.builder("postgres.wal.archive.last.success.timestamp", this, m -> m.archiver("last_success"))
                .description("When PostgreSQL last archived a WAL segment (pg_stat_archiver.last_archived_time); "
                        + "0 if never, NaN without archiving")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("postgres.wal.archive.last.failure.timestamp", this, m -> m.archiver("last_failure"))
                .description("When archiving a WAL segment last failed (pg_stat_archiver.last_failed_time); "
                        + "0 if never, NaN without archiving")
                .baseUnit("seconds")
                .register(registry);
        FunctionCounter.builder("postgres.wal.archive.failures", this, m -> m.archiver("failed_count"))
                .description("Failed attempts to archive a WAL segment (pg_stat_archiver.failed_count)")
                .register(registry);
        Gauge.builder("postgres.base.backup.last.timestamp", this, WalArchiveMetrics::lastBaseBackup)
                .description("When the newest base backup of the server finished (its backup history file in "
                        + "pg_wal); 0 if none, NaN without archiving")
                .baseUnit("seconds")
                .register(registry);
    }

    double archiver(String column) {
        Map<String, Object> row = archiverRow();
        if (row == null || !Boolean.TRUE.equals(row.get("archiving"))) {
            return Double.NaN;
        }
        return ((Number) row.get(column)).doubleValue();
    }

    double lastBaseBackup() {
        Map<String, Object> row = archiverRow();
        if (row == null || !Boolean.TRUE.equals(row.get("archiving"))) {
            return Double.NaN;
        }
        try {
            Double seconds = jdbc.queryForObject(LAST_BASE_BACKUP, Double.class);
            return seconds == null ? Double.NaN : seconds;
        } catch (DataAccessException e) {
            log.debug("Cannot list pg_wal for the newest base backup (the role needs pg_monitor)", e);
            return Double.NaN;
        }
    }

    private Map<String, Object> archiverRow() {
        try {
            return jdbc.queryForMap(ARCHIVER);
        } catch (DataAccessException e) {
            log.debug("Cannot read pg_stat_archiver", e);
            return null;
        }
    }
}
