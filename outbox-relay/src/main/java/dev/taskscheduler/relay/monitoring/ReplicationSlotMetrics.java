package dev.taskscheduler.relay.monitoring;

import javax.sql.DataSource;

import dev.taskscheduler.relay.RelayProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The relay's replication slot as PostgreSQL sees it:
 * <ul>
 *   <li>{@code outbox_relay_slot_retained_wal_bytes}: WAL the slot keeps on the database server's
 *       disk. It grows while the relay is down or behind;
 *   <li>{@code outbox_relay_slot_wal_status{status}}: 1 for the slot's {@code wal_status}, 0 for the
 *       others. {@code unreserved} means the slot is past {@code max_slot_wal_keep_size} and the
 *       next checkpoint invalidates it; {@code lost} means it has been: the events in the WAL it
 *       lost never reach Kafka, and the relay cannot stream from it again.
 * </ul>
 *
 * <p>Read from the database once per scrape (one catalog query, shared by the gauges for a
 * second); NaN while the slot does not exist or the database is unreachable.
 */
@Component
public class ReplicationSlotMetrics {

    private static final Logger log = LoggerFactory.getLogger(ReplicationSlotMetrics.class);
    private static final int QUERY_TIMEOUT_SECONDS = 5;
    private static final long READING_REUSED_NANOS = 1_000_000_000L;
    private static final String SLOT = """
            SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), wal_status
            FROM pg_replication_slots
            WHERE slot_name = ?""";

    private final JdbcTemplate jdbc;
    private final String slotName;
    private SlotReading last = SlotReading.NONE;
    private long lastReadAt;

    public ReplicationSlotMetrics(DataSource dataSource, RelayProperties properties, MeterRegistry registry) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
        this.slotName = properties.slotName();
        register(registry, "outbox.relay.slot.retained.wal", SlotReading::retainedWalBytes)
                .description("WAL retained by the relay's replication slot (current WAL position minus restart_lsn)")
                .baseUnit("bytes")
                .register(registry);
        for (WalStatus status : WalStatus.values()) {
            register(registry, "outbox.relay.slot.wal.status", reading -> reading.is(status))
                    .description("1 for the replication slot's wal_status (pg_replication_slots), 0 for the others")
                    .tag("status", status.value())
                    .register(registry);
        }
    }

    private Gauge.Builder<ReplicationSlotMetrics> register(MeterRegistry registry, String name,
            ToDoubleFunction<SlotReading> value) {
        return Gauge.builder(name, this, metrics -> value.applyAsDouble(metrics.reading())).tag("slot", slotName);
    }

    synchronized SlotReading reading() {
        if (System.nanoTime() - lastReadAt > READING_REUSED_NANOS) {
            last = read();
            lastReadAt = System.nanoTime();
        }
        return last;
    }

    private SlotReading read() {
        try {
            SlotReading reading = jdbc.query(SLOT, rs -> rs.next()
                    ? new SlotReading(rs.getDouble(1), WalStatus.of(rs.getString(2)))
                    : null, slotName);
            return reading == null ? SlotReading.NONE : reading;
        } catch (DataAccessException e) {
            log.debug("Cannot read replication slot {}", slotName, e);
            return SlotReading.NONE;
        }
    }

    /** PostgreSQL's {@code wal_status} of a replication slot. */
    enum WalStatus {
        RESERVED, EXTENDED, UNRESERVED, LOST;

        String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        static WalStatus of(String value) {
            for (WalStatus status : values()) {
                if (status.value().equals(value)) {
                    return status;
                }
            }
            return null; // a status this code does not know (or none): no gauge reads 1
        }
    }

    /** One reading of the slot; {@link #NONE} when there is no slot or no database. */
    record SlotReading(double retainedWalBytes, WalStatus walStatus) {

        static final SlotReading NONE = new SlotReading(Double.NaN, null);

        double is(WalStatus status) {
            if (this == NONE) {
                return Double.NaN;
            }
            return status == walStatus ? 1 : 0;
        }
    }
}
