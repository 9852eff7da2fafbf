package dev.taskscheduler.relay.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import dev.taskscheduler.model.EventHeaders;
import dev.taskscheduler.relay.monitoring.RelayMetrics;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's change consumer: sends each batch to Kafka (one record per event: a statement's event
 * message holds many) and marks it processed only once Kafka acknowledged every
 * record of it, so the offsets Debezium commits (and the WAL position it confirms to the slot) never pass an event
 * that Kafka does not have.
 *
 * <p>A failed send throws out of {@link #handleBatch}: nothing of the batch is marked, the engine stops, and the
 * restarted engine replays from the last committed offset. Records of the batch that did reach Kafka are then sent
 * again; consumers deduplicate on the {@code id} header.
 */
public final class KafkaDelivery implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

    private static final Logger log = LoggerFactory.getLogger(KafkaDelivery.class);

    private final Producer<String, String> producer;
    private final RelayMetrics metrics;
    private final Clock clock;

    /**
     * @param producer an idempotent producer with {@code acks=all}, used by this consumer only
     */
    public KafkaDelivery(Producer<String, String> producer, RelayMetrics metrics, Clock clock) {
        this.producer = producer;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> events,
                            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        List<Sent> sent = send(events);
        Instant ackedAt = awaitAcks(sent);
        for (Sent s : sent) {
            metrics.delivered(s.record().topic(),
                    OutboxRecords.commitTime(s.source()).map(commit -> Duration.between(commit, ackedAt)).orElse(null));
        }
        // Marking every event, the skipped heartbeats too, is what moves the committed offset forward.
        for (RecordChangeEvent<SourceRecord> event : events) {
            committer.markProcessed(event);
        }
        committer.markBatchFinished();
    }

    private List<Sent> send(List<RecordChangeEvent<SourceRecord>> events) throws InterruptedException {
        List<Sent> sent = new ArrayList<>(events.size());
        for (RecordChangeEvent<SourceRecord> event : events) {
            SourceRecord source = event.record();
            for (ProducerRecord<String, String> record : recordsOf(source)) {
                try {
                    sent.add(new Sent(source, record, producer.send(record)));
                } catch (InterruptException e) {
                    throw interrupted(e);
                } catch (RuntimeException e) {
                    throw new OutboxDeliveryException(describe(source, record), e);
                }
            }
        }
        return sent;
    }

    /**
     * The records of one change: each event of a statement's event message, or the one event of an
     * outbox row written by an older version; nothing for a heartbeat.
     */
    private static List<ProducerRecord<String, String>> recordsOf(SourceRecord source) {
        if (EventMessages.isMessage(source)) {
            return EventMessages.toProducerRecords(source);
        }
        return OutboxRecords.toProducerRecord(source).map(List::of).orElse(List.of());
    }

    private Instant awaitAcks(List<Sent> sent) throws InterruptedException {
        if (sent.isEmpty()) {
            return clock.instant();
        }
        try {
            // Sends right away instead of waiting for linger.ms: the engine waits for the whole batch anyway.
            producer.flush();
        } catch (InterruptException e) {
            throw interrupted(e);
        }
        Instant ackedAt = clock.instant();
        for (Sent s : sent) {
            try {
                RecordMetadata metadata = s.result().get();
                if (log.isDebugEnabled()) {
                    log.debug("Relayed {} to {}-{}@{}", describe(s.source(), s.record()), metadata.topic(),
                            metadata.partition(), metadata.offset());
                }
            } catch (ExecutionException e) {
                throw new OutboxDeliveryException(describe(s.source(), s.record()), e.getCause());
            }
        }
        return ackedAt;
    }

    private static InterruptedException interrupted(InterruptException e) {
        InterruptedException interrupted = new InterruptedException("Interrupted while waiting for Kafka");
        interrupted.initCause(e);
        return interrupted;
    }

    private static String describe(SourceRecord source, ProducerRecord<String, String> record) {
        return "event id=" + headerOf(record, EventHeaders.EVENT_ID) + " topic=" + record.topic() + " key="
                + record.key();
    }

    private static String headerOf(ProducerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private record Sent(SourceRecord source, ProducerRecord<String, String> record, Future<RecordMetadata> result) {
    }
}
