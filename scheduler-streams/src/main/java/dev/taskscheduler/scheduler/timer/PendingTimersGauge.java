package dev.taskscheduler.scheduler.timer;

import dev.taskscheduler.model.TaskEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * {@code scheduler_pending_timers}: timers waiting in the {@code timers} stores of the partitions
 * this instance holds. RocksDB's own estimate of its key count, so a scrape costs no scan however
 * many timers wait; approximate by nature (deletions are counted in once compacted).
 *
 * <p>While the stores cannot be queried (startup, rebalance) the last value stays, 0 at first, so
 * the series exists from startup and does not drop out during a rebalance.
 */
final class PendingTimersGauge {

    private final StreamsBuilderFactoryBean streams;
    private volatile double last;

    PendingTimersGauge(StreamsBuilderFactoryBean streams, MeterRegistry registry) {
        this.streams = streams;
        Gauge.builder("scheduler_pending_timers", this, PendingTimersGauge::approximateTimers)
                .description("Timers waiting in this instance's timer stores (RocksDB's estimate)")
                .register(registry);
    }

    double approximateTimers() {
        KafkaStreams kafkaStreams = streams.getKafkaStreams();
        if (kafkaStreams == null || kafkaStreams.state() != KafkaStreams.State.RUNNING) {
            return last;
        }
        try {
            long total = 0;
            for (String name : TimerStores.allTimers()) {
                ReadOnlyKeyValueStore<Bytes, TaskEvent> timers = kafkaStreams.store(StoreQueryParameters.fromNameAndType(
                        name, QueryableStoreTypes.<Bytes, TaskEvent>keyValueStore()));
                total += timers.approximateNumEntries();
            }
            last = total;
        } catch (InvalidStateStoreException e) {
            // Migrating between instances right now: keep the last figure.
        }
        return last;
    }
}
