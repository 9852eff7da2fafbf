package dev.taskscheduler.scheduler.timer;

import dev.taskscheduler.model.EventHeaders;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.ReadyTask;
import dev.taskscheduler.model.TaskEvent;
import dev.taskscheduler.model.TaskPriority;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
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
 *   <li>A wall-clock punctuation releases everything due, high priority first, then normal, then
 *       low, oldest first within a priority, at most {@code maxReleasesPerPunctuation} at a time; the
 *       rest follows on the next punctuation. A burst of low-priority tasks therefore never holds
 *       back a high-priority task that is due.
 * </ul>
 *
 * All stores are changelogged and every change commits with the released records in one Kafka
 * transaction (exactly_once_v2), so a restart or rebalance neither loses nor repeats a release.
 */
public class TimerProcessor implements Processor<String, String, String, String> {

    private static final Logger log = LoggerFactory.getLogger(TimerProcessor.class);

    private final Duration punctuateInterval;
    private final int maxReleasesPerPunctuation;
    private final ReleaseListener releaseListener;

    private ProcessorContext<String, String> context;
    private final Map<TaskPriority, KeyValueStore<Bytes, String>> timers = new EnumMap<>(TaskPriority.class);
    private KeyValueStore<String, Long> dueByTask;

    TimerProcessor(Duration punctuateInterval, int maxReleasesPerPunctuation, ReleaseListener releaseListener) {
        this.punctuateInterval = punctuateInterval;
        this.maxReleasesPerPunctuation = maxReleasesPerPunctuation;
        this.releaseListener = releaseListener;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        for (TaskPriority priority : TaskPriority.values()) {
            timers.put(priority, context.getStateStore(TimerStores.timers(priority)));
        }
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
            cancelTimer(event.taskId(), event.priority());
        } else {
            log.debug("Ignoring event type {} for task {}", eventType, event.taskId());
        }
    }

    private void schedule(TaskEvent event) {
        Optional<TaskEvent> current = currentTimer(event.taskId(), event.priority());
        if (current.isPresent() && current.get().version() > event.version()) {
            log.debug("Ignoring stale event version {} for task {} (timer has version {})", event.version(),
                    event.taskId(), current.get().version());
            return;
        }
        cancelTimer(event.taskId(), event.priority());
        long now = context.currentSystemTimeMs();
        if (event.runAt() <= now) {
            release(event, now);
        } else {
            timers.get(event.priority()).put(TimerKey.of(event.runAt(), event.taskId()), Json.write(event));
            dueByTask.put(event.taskId().toString(), event.runAt());
        }
    }

    /** A task keeps its priority for life, so its events name the store that holds its timer. */
    private Optional<TaskEvent> currentTimer(UUID taskId, TaskPriority priority) {
        Long due = dueByTask.get(taskId.toString());
        return Optional.ofNullable(due == null ? null : timers.get(priority).get(TimerKey.of(due, taskId)))
                .map(json -> Json.read(json, TaskEvent.class));
    }

    private void cancelTimer(UUID taskId, TaskPriority priority) {
        Long due = dueByTask.delete(taskId.toString());
        if (due != null) {
            timers.get(priority).delete(TimerKey.of(due, taskId));
        }
    }

    /** Each store is range-scanned only up to now: future timers are never read. */
    private void releaseDue(long now) {
        int budget = maxReleasesPerPunctuation;
        for (TaskPriority priority : TaskPriority.values()) {
            budget -= releaseDue(timers.get(priority), now, budget);
        }
    }

    private int releaseDue(KeyValueStore<Bytes, String> store, long now, int budget) {
        int released = 0;
        try (KeyValueIterator<Bytes, String> due = store.range(TimerKey.start(), TimerKey.upTo(now))) {
            while (released < budget && due.hasNext()) {
                KeyValue<Bytes, String> timer = due.next();
                TaskEvent event = Json.read(timer.value, TaskEvent.class);
                store.delete(timer.key);
                dueByTask.delete(event.taskId().toString());
                release(event, now);
                released++;
            }
        }
        return released;
    }

    private void release(TaskEvent event, long now) {
        ReadyTask ready = new ReadyTask(event.taskId(), event.type(), event.attempt(), event.runAt(), now,
                event.priority());
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
