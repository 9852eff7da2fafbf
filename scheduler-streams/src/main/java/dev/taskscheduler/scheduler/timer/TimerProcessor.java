package dev.taskscheduler.scheduler.timer;

import dev.taskscheduler.model.EventHeaders;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.ReadyTask;
import dev.taskscheduler.model.TaskEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one timer per task and releases the task when its timer fires.
 *
 * <ul>
 *   <li>{@code TaskScheduled}: replaces the task's timer; a task already due is released at once.
 *       An event older than the timer it would replace (a replay by the relay) is ignored.
 *   <li>{@code TaskCancelled}: removes the task's timer.
 *   <li>A wall-clock punctuation releases everything due, oldest first, at most
 *       {@code maxReleasesPerPunctuation} at a time; the rest follows on the next punctuation.
 * </ul>
 *
 * Both stores are changelogged and every change commits with the released records in one Kafka
 * transaction (exactly_once_v2), so a restart or rebalance neither loses nor repeats a release.
 */
public class TimerProcessor implements Processor<String, String, String, String> {

    private static final Logger log = LoggerFactory.getLogger(TimerProcessor.class);

    private final Duration punctuateInterval;
    private final int maxReleasesPerPunctuation;
    private final ReleaseListener releaseListener;

    private ProcessorContext<String, String> context;
    private KeyValueStore<Bytes, String> timers;
    private KeyValueStore<String, Long> dueByTask;

    TimerProcessor(Duration punctuateInterval, int maxReleasesPerPunctuation, ReleaseListener releaseListener) {
        this.punctuateInterval = punctuateInterval;
        this.maxReleasesPerPunctuation = maxReleasesPerPunctuation;
        this.releaseListener = releaseListener;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.timers = context.getStateStore(TimerStores.TIMERS);
        this.dueByTask = context.getStateStore(TimerStores.DUE_BY_TASK);
        context.schedule(punctuateInterval, PunctuationType.WALL_CLOCK_TIME, this::releaseDue);
    }

    @Override
    public void process(Record<String, String> record) {
        TaskEvent event;
        try {
            event = Json.read(record.value(), TaskEvent.class);
        } catch (RuntimeException e) {
            log.error("Skipping unreadable task event key={} eventId={}: {}", record.key(),
                    header(record, EventHeaders.EVENT_ID), e.toString());
            return;
        }
        String eventType = header(record, EventHeaders.EVENT_TYPE);
        if (TaskEvent.SCHEDULED.equals(eventType)) {
            schedule(event);
        } else if (TaskEvent.CANCELLED.equals(eventType)) {
            cancelTimer(event.taskId());
        } else {
            log.debug("Ignoring event type {} for task {}", eventType, event.taskId());
        }
    }

    private void schedule(TaskEvent event) {
        Optional<TaskEvent> current = currentTimer(event.taskId());
        if (current.isPresent() && current.get().version() > event.version()) {
            log.debug("Ignoring stale event version {} for task {} (timer has version {})", event.version(),
                    event.taskId(), current.get().version());
            return;
        }
        cancelTimer(event.taskId());
        long now = context.currentSystemTimeMs();
        if (event.runAt() <= now) {
            release(event, now);
        } else {
            timers.put(TimerKey.of(event.runAt(), event.taskId()), Json.write(event));
            dueByTask.put(event.taskId().toString(), event.runAt());
        }
    }

    private Optional<TaskEvent> currentTimer(UUID taskId) {
        Long due = dueByTask.get(taskId.toString());
        return Optional.ofNullable(due == null ? null : timers.get(TimerKey.of(due, taskId)))
                .map(json -> Json.read(json, TaskEvent.class));
    }

    private void cancelTimer(UUID taskId) {
        Long due = dueByTask.delete(taskId.toString());
        if (due != null) {
            timers.delete(TimerKey.of(due, taskId));
        }
    }

    private void releaseDue(long now) {
        int released = 0;
        try (KeyValueIterator<Bytes, String> due = timers.range(TimerKey.start(), TimerKey.upTo(now))) {
            while (due.hasNext() && released < maxReleasesPerPunctuation) {
                KeyValue<Bytes, String> timer = due.next();
                TaskEvent event = Json.read(timer.value, TaskEvent.class);
                timers.delete(timer.key);
                dueByTask.delete(event.taskId().toString());
                release(event, now);
                released++;
            }
        }
    }

    private void release(TaskEvent event, long now) {
        ReadyTask ready = new ReadyTask(event.taskId(), event.type(), event.attempt(), event.runAt(), now);
        context.forward(new Record<>(event.taskId().toString(), Json.write(ready), now));
        releaseListener.released(ready);
    }

    private static String header(Record<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Told about every release, for metrics. */
    @FunctionalInterface
    public interface ReleaseListener {
        void released(ReadyTask task);
    }
}
