package dev.taskscheduler.scheduler.errors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the scheduler does with a record it cannot read (not JSON of its type, no task id) or that
 * its processing fails on: it logs it with its origin, counts it in
 * {@code scheduler_skipped_records_total} and goes on with the next one. One bad record must not
 * stop the stream thread, which would hold every timer of its partitions.
 *
 * <p>Kafka Streams creates this class itself; the meter registry reaches it through the streams
 * configuration under {@value #REGISTRY_CONFIG}.
 */
public class SkipAndCount implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    /** Streams configuration key holding the {@link MeterRegistry}. */
    public static final String REGISTRY_CONFIG = "scheduler.skipped-records.meter-registry";
    private static final Logger log = LoggerFactory.getLogger(SkipAndCount.class);

    private MeterRegistry registry;

    @Override
    public void configure(Map<String, ?> configs) {
        Object registry = configs.get(REGISTRY_CONFIG);
        this.registry = registry instanceof MeterRegistry meterRegistry ? meterRegistry : null;
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        log.warn("Skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                exception.getMessage());
        count(record.topic(), "unreadable");
        return DeserializationHandlerResponse.CONTINUE;
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        log.error("Skipping record {}-{}@{} (key {}) whose processing in {} failed", context.topic(),
                context.partition(), context.offset(), record.key(), context.processorNodeId(), exception);
        count(context.topic(), "failed");
        return ProcessingHandlerResponse.CONTINUE;
    }

    private void count(String topic, String reason) {
        if (registry != null) {
            Counter.builder("scheduler_skipped_records")
                    .description("Records the scheduler skipped: unreadable, or their processing failed")
                    .tags("topic", String.valueOf(topic), "reason", reason)
                    .register(registry)
                    .increment();
        }
    }
}
