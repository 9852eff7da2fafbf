package dev.taskscheduler.api.lag;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Reads the lag of the system's consumer groups on a fixed delay and exports it as
 * {@code kafka_consumer_group_lag{group,topic,partition}} (records) and
 * {@code kafka_consumer_group_lag_seconds{group,topic,partition}} (age of the oldest unread record).
 *
 * <p>Lag is measured from outside the consumers (committed offsets, as Kafka's own tool does), so
 * it keeps growing while a pool has no running worker at all, which is when it matters most. A
 * failed reading keeps the previous figures and is reported in {@link #report()}.
 */
public class ConsumerLagMonitor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLagMonitor.class);

    private final ConsumerLagReader reader;
    private final LagProperties properties;
    private final Clock clock;
    private final AutoCloseable clients;
    private final MultiGauge lagRecords;
    private final MultiGauge lagSeconds;
    private volatile LagReport report = new LagReport(null, null, List.of());
    private ScheduledExecutorService executor;

    ConsumerLagMonitor(ConsumerLagReader reader, LagProperties properties, Clock clock, MeterRegistry registry,
            AutoCloseable clients) {
        this.reader = reader;
        this.properties = properties;
        this.clock = clock;
        this.clients = clients;
        this.lagRecords = MultiGauge.builder("kafka_consumer_group_lag")
                .description("Records of a partition not yet consumed by a group (log-end minus committed offset)")
                .register(registry);
        this.lagSeconds = MultiGauge.builder("kafka_consumer_group_lag_seconds")
                .description("Age of the oldest record of a partition not yet consumed by a group; 0 without lag")
                .register(registry);
    }

    /** Reads the lag now, on the caller's thread; the scheduled readings are paused meanwhile. */
    synchronized LagReport refresh() {
        try {
            List<PartitionLag> lags = reader.read();
            // overwrite=true: rows of partitions no longer seen (a deleted group) disappear.
            lagRecords.register(lags.stream()
                    .map(lag -> MultiGauge.Row.of(tags(lag), lag.lag())).toList(), true);
            lagSeconds.register(lags.stream()
                    .map(lag -> MultiGauge.Row.of(tags(lag), lag.lagSeconds())).toList(), true);
            report = LagReport.of(clock.instant(), null, lags);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Cannot read consumer group lag: {}", e.toString());
            report = new LagReport(report.refreshedAt(), e.toString(), report.groups());
        }
        return report;
    }

    public LagReport report() {
        return report;
    }

    private static Tags tags(PartitionLag lag) {
        return Tags.of("group", lag.group(), "topic", lag.topic(), "partition", Integer.toString(lag.partition()));
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "consumer-lag-monitor");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::refresh, 0, properties.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = executor;
            executor = null;
        }
        if (running == null) {
            return;
        }
        running.shutdownNow();
        try {
            running.awaitTermination(properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            try {
                clients.close();
            } catch (Exception e) {
                log.debug("Closing the lag monitor's Kafka clients failed", e);
            }
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
