package dev.taskscheduler.scheduler.timer;

import dev.taskscheduler.model.EventHeaders;
import dev.taskscheduler.model.ReadyTask;
import dev.taskscheduler.model.TaskEvent;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.scheduler.punctuation.DuePunctuation;
import dev.taskscheduler.scheduler.punctuation.PunctuationAlarms;
import dev.taskscheduler.scheduler.punctuation.PunctuationTiming;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
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
 *   <li>{@code TaskScheduled}: replaces the task's timer. A task already due is released at once and
 *       never stored: most tasks cost one lookup here, not a write, a changelog record and a delete.
 *       An event older than the timer it would replace (a replay by the relay) is ignored.
 *   <li>{@code TaskCancelled}: removes the task's timer.
 *   <li>A wall-clock punctuation releases everything due, high priority first, then normal, then
 *       low, oldest first within a priority, at most {@code maxReleasesPerPunctuation} at a time; the
 *       rest follows on the next punctuation. A burst of low-priority tasks therefore never holds
 *       back a high-priority task that is due. Each store's earliest due time is kept in memory: the
 *       punctuation runs when the earliest timer is due (not on a fixed beat, see
 *       {@link DuePunctuation}) and reads only the stores with something due.
 * </ul>
 *
 * All stores are changelogged and every change commits with the released records in one Kafka
 * transaction (exactly_once_v2), so a restart or rebalance neither loses nor repeats a release.
 */
public class TimerProcessor implements Processor<String, TaskEvent, String, ReadyTask> {

    private static final Logger log = LoggerFactory.getLogger(TimerProcessor.class);
    private static final long NONE = DuePunctuation.NOTHING_DUE;

    private final PunctuationTiming timing;
    private final PunctuationAlarms alarms;
    private final int maxReleasesPerPunctuation;
    private final ReleaseListener releaseListener;

    private ProcessorContext<String, ReadyTask> context;
    private final Map<TaskPriority, KeyValueStore<Bytes, TaskEvent>> timers = new EnumMap<>(TaskPriority.class);
    /** Per store, no timer is due before this (a lower bound: cancelled timers may have left it early). */
    private final Map<TaskPriority, Long> earliestDue = new EnumMap<>(TaskPriority.class);
    private KeyValueStore<String, Long> dueByTask;
    private DuePunctuation punctuation;

    TimerProcessor(PunctuationTiming timing, PunctuationAlarms alarms, int maxReleasesPerPunctuation,
            ReleaseListener releaseListener) {
        this.timing = timing;
        this.alarms = alarms;
        this.maxReleasesPerPunctuation = maxReleasesPerPunctuation;
        this.releaseListener = releaseListener;
    }

    @Override
    public void init(ProcessorContext<String, ReadyTask> context) {
        this.context = context;
        for (TaskPriority priority : TaskPriority.values()) {
            KeyValueStore<Bytes, TaskEvent> store = context.getStateStore(TimerStores.timers(priority));
            timers.put(priority, store);
            earliestDue.put(priority, firstDue(store));
        }
        this.dueByTask = context.getStateStore(TimerStores.DUE_BY_TASK);
        this.punctuation = new DuePunctuation(context, timing, alarms, this::releaseDue);
        punctuation.start(nextDue());
    }

    @Override
    public void close() {
        if (punctuation != null) {
            punctuation.stop();
        }
    }

    @Override
    public void process(Record<String, TaskEvent> record) {
        TaskEvent event = record.value();
        if (event == null) {
            return; // a tombstone: nothing to time
        }
        String eventType = header(record, EventHeaders.EVENT_TYPE);
        if (TaskEvent.SCHEDULED.equals(eventType)) {
            schedule(event);
        } else if (TaskEvent.CANCELLED.equals(eventType)) {
            removeTimer(event.taskId(), event.priority(), dueByTask.get(event.taskId().toString()));
        } else {
            log.debug("Ignoring event type {} for task {}", eventType, event.taskId());
        }
    }

    private void schedule(TaskEvent event) {
        String taskId = event.taskId().toString();
        Long currentDue = dueByTask.get(taskId);
        if (currentDue != null) {
            TaskEvent current = timers.get(event.priority()).get(TimerKey.of(currentDue, event.taskId()));
            if (current != null && current.version() > event.version()) {
                log.debug("Ignoring stale event version {} for task {} (timer has version {})", event.version(),
                        event.taskId(), current.version());
                return;
            }
            removeTimer(event.taskId(), event.priority(), currentDue);
        }
        long now = context.currentSystemTimeMs();
        if (event.runAt() <= now) {
            release(event, now);
            return;
        }
        timers.get(event.priority()).put(TimerKey.of(event.runAt(), event.taskId()), event);
        dueByTask.put(taskId, event.runAt());
        earliestDue.merge(event.priority(), event.runAt(), Math::min);
        punctuation.dueAt(event.runAt());
    }

    /** A task keeps its priority for life, so its events name the store that holds its timer. */
    private void removeTimer(UUID taskId, TaskPriority priority, Long due) {
        if (due != null) {
            dueByTask.delete(taskId.toString());
            timers.get(priority).delete(TimerKey.of(due, taskId));
        }
    }

    /**
     * Each store is range-scanned only up to now, and only when something in it can be due. Returns
     * when the next timer is due: {@code now} when the budget ran out with more due.
     */
    private long releaseDue(long now) {
        int budget = maxReleasesPerPunctuation;
        for (TaskPriority priority : TaskPriority.values()) {
            if (budget > 0 && earliestDue.get(priority) <= now) {
                budget -= releaseDue(priority, now, budget);
            }
        }
        return nextDue();
    }

    private long nextDue() {
        return earliestDue.values().stream().mapToLong(Long::longValue).min().orElse(NONE);
    }

    private int releaseDue(TaskPriority priority, long now, int budget) {
        KeyValueStore<Bytes, TaskEvent> store = timers.get(priority);
        int released = 0;
        try (KeyValueIterator<Bytes, TaskEvent> due = store.range(TimerKey.start(), TimerKey.upTo(now))) {
            while (released < budget && due.hasNext()) {
                KeyValue<Bytes, TaskEvent> timer = due.next();
                store.delete(timer.key);
                dueByTask.delete(timer.value.taskId().toString());
                release(timer.value, now);
                released++;
            }
        }
        earliestDue.put(priority, released < budget ? firstDue(store) : now);
        return released;
    }

    private void release(TaskEvent event, long now) {
        ReadyTask ready = new ReadyTask(event.taskId(), event.type(), event.attempt(), event.runAt(), now,
                event.priority());
        context.forward(new Record<>(event.taskId().toString(), ready, now));
        releaseListener.released(ready);
    }

    /** The due time of the store's first timer, or {@link #NONE}: one seek. */
    private static long firstDue(KeyValueStore<Bytes, TaskEvent> store) {
        try (KeyValueIterator<Bytes, TaskEvent> all = store.all()) {
            return all.hasNext() ? TimerKey.dueMillis(all.peekNextKey()) : NONE;
        }
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
