package dev.taskscheduler.relay.monitoring;

import javax.sql.DataSource;

import dev.taskscheduler.relay.RelayProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code outbox_relay_slot_retained_wal_bytes}: WAL the replication slot keeps on the database server's disk. It
 * grows while the relay is down or behind; PostgreSQL invalidates the slot once it exceeds
 * {@code max_slot_wal_keep_size}, losing the events in it, so this is the gauge to alert on.
 *
 * <p>Read from the database on each scrape (one catalog query); NaN while the slot does not exist or the database
 * is unreachable.
 */
@Component
public class ReplicationSlotMetrics {

    private static final Logger log = LoggerFactory.getLogger(ReplicationSlotMetrics.class);
    private static final int QUERY_TIMEOUT_SECONDS = 5;
    private static final String RETAINED_WAL = """
            SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)
            FROM pg_replication_slots
            WHERE slot_name = ?""";

    private final JdbcTemplate jdbc;
    private final String slotName;

    public ReplicationSlotMetrics(DataSource dataSource, RelayProperties properties, MeterRegistry registry) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
        this.slotName = properties.slotName();
        Gauge.builder("outbox.relay.slot.retained.wal", this, ReplicationSlotMetrics::retainedWalBytes)
                .description("WAL retained by the relay's replication slot (current WAL position minus restart_lsn)")
                .baseUnit("bytes")
                .tag("slot", slotName)
                .register(registry);
    }

    double retainedWalBytes() {
        try {
            Double bytes = jdbc.query(RETAINED_WAL, rs -> rs.next() ? rs.getDouble(1) : null, slotName);
            return bytes == null ? Double.NaN : bytes;
        } catch (DataAccessException e) {
            log.debug("Cannot read retained WAL of slot {}", slotName, e);
            return Double.NaN;
        }
    }
}
