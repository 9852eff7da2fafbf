package dev.taskscheduler.bench.scenario;

import dev.taskscheduler.bench.baseline.KafkaBaselines;
import dev.taskscheduler.bench.baseline.PostgresBaselines;
import dev.taskscheduler.bench.cost.CostMeter;
import dev.taskscheduler.bench.load.Submissions;
import dev.taskscheduler.bench.report.Comparison;
import dev.taskscheduler.bench.report.ScenarioResult;
import dev.taskscheduler.model.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * (b) Submission-topic ingest: records produced to {@code tasks.submissions} as fast as one
 * producer can, timed until every task row exists and until every TaskScheduled event is on
 * {@code task.events} (relayed from the outbox).
 *
 * <p>While it waits, the scenario asks PostgreSQL, at most every 100 ms, only for the rows of the
 * last record sent to each partition (one lookup by idempotency key each), and counts all rows once
 * those exist. It once counted them after every poll of the events, which returns as soon as events
 * arrive: a scan of the whole tasks table, 30 ms and more once earlier scenarios had left a quarter
 * of a million rows, run back to back, and charged to the system's PostgreSQL.
 */
public final class TopicIngestScenario {

    /** At least this long is waited for rows and events; longer for many records (400 per second). */
    private static final Duration MIN_TIMEOUT = Duration.ofMinutes(3);

    private final ScenarioContext context;

    public TopicIngestScenario(ScenarioContext context) {
        this.context = context;
    }

    public ScenarioResult run() throws InterruptedException {
        int records = context.plan().topicRecords();
        Duration timeout = MIN_TIMEOUT.compareTo(Duration.ofSeconds(records / 400)) > 0 ? MIN_TIMEOUT
                : Duration.ofSeconds(records / 400);
        // A type of its own, so rows and events of this run are told apart from all others.
        String type = Submissions.PARKED + "-topic-" + UUID.randomUUID().toString().substring(0, 8);
        Instant parkedUntil = Instant.now().plus(Duration.ofDays(300));
        ScenarioResult result = new ScenarioResult("topic-ingest", "(b) Submission-topic ingest",
                records + " keyed submissions produced to tasks.submissions by one producer (acks=all); timed from "
                        + "the first send until the last row exists (polled every 100 ms) and until the last event "
                        + "is on task.events.");
        try (KafkaConsumer<String, String> events = context.kafka().consumerAtEnd(Topics.TASK_EVENTS);
                KafkaProducer<String, String> producer = context.kafka().producer()) {
            // The highest record index sent to each partition: the api-server reads a partition in order.
            Map<Integer, Integer> lastPerPartition = new ConcurrentHashMap<>();
            CostMeter.Span cost = context.cost().start();
            long started = System.nanoTime();
            for (int i = 0; i < records; i++) {
                int index = i;
                producer.send(new ProducerRecord<>(Topics.SUBMISSIONS, type + "-" + i,
                        Submissions.at(type, parkedUntil, i)), (metadata, error) -> {
                            if (error == null) {
                                lastPerPartition.merge(metadata.partition(), index, Math::max);
                            }
                        });
            }
            producer.flush();
            Object[] lastKeys = lastPerPartition.values().stream().map(index -> type + "-" + index).toArray();
            double produced = seconds(started);
            context.progress().status("produced %d submissions in %.1f s; waiting for rows and events", records,
                    produced);
            double rowsDone = Double.NaN;
            double eventsDone = Double.NaN;
            long seen = 0;
            long lastCount = 0;
            boolean lastRecordsStored = false;
            double nextRowsCheck = 0;
            while (seconds(started) < timeout.toSeconds() && (Double.isNaN(rowsDone) || Double.isNaN(eventsDone))) {
                for (ConsumerRecord<String, String> event : events.poll(Duration.ofMillis(100))) {
                    if (event.value().contains("\"" + type + "\"")) {
                        seen++;
                    }
                }
                if (Double.isNaN(eventsDone) && seen >= records) {
                    eventsDone = seconds(started);
                }
                if (Double.isNaN(rowsDone) && !Double.isNaN(eventsDone)) {
                    // Each event is decoded from the committed transaction that stored its row.
                    rowsDone = eventsDone;
                }
                // A poll returns as soon as events arrive: look at the rows every 100 ms at most.
                if (Double.isNaN(rowsDone) && seconds(started) >= nextRowsCheck) {
                    nextRowsCheck = seconds(started) + 0.1;
                    lastRecordsStored = lastRecordsStored || context.db().count(
                            "SELECT count(*) FROM tasks WHERE idempotency_key = ANY(?::text[])", lastKeys)
                            == lastKeys.length;
                    if (lastRecordsStored) {
                        // A large poll is written in slices side by side, so a record before a partition's
                        // last may still be in flight: count them all, until all are there.
                        lastCount = context.db().queryLong("SELECT count(*) FROM tasks WHERE type = ?", type);
                        if (lastCount >= records) {
                            rowsDone = seconds(started);
                        }
                    }
                }
            }
            result.cost(cost.stop(records + " records", records));
            context.progress().status("rows after %.1f s (%d), events after %.1f s (%d)", rowsDone, lastCount,
                    eventsDone, seen);
            double rowsPerSecond = records / rowsDone;
            double eventsPerSecond = records / eventsDone;
            result.figure("records", records)
                    .figure("produceSeconds", produced)
                    .figure("rowsSeconds", rowsDone)
                    .figure("eventsSeconds", eventsDone)
                    .figure("rowsPerSecond", rowsPerSecond)
                    .figure("eventsPerSecond", eventsPerSecond)
                    .compare(new Comparison("rows stored, tasks/s", rowsPerSecond, PostgresBaselines.INSERT,
                            context.results().baseline(PostgresBaselines.INSERT)))
                    .compare(new Comparison("rows stored, tasks/s", rowsPerSecond, KafkaBaselines.CONSUME,
                            context.results().baseline(KafkaBaselines.CONSUME)))
                    .compare(new Comparison("events relayed, tasks/s", eventsPerSecond, KafkaBaselines.PRODUCE,
                            context.results().baseline(KafkaBaselines.PRODUCE)));
            if (Double.isNaN(rowsDone) || Double.isNaN(eventsDone)) {
                lastCount = context.db().queryLong("SELECT count(*) FROM tasks WHERE type = ?", type);
                result.note("Not complete after " + timeout + ": " + lastCount + " rows, " + seen + " events.");
            }
        }
        return result;
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
