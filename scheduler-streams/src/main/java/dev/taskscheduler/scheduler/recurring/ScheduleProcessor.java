package dev.taskscheduler.scheduler.recurring;

import dev.taskscheduler.model.CronSchedule;
import dev.taskscheduler.model.EventHeaders;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.ScheduleEvent;
import dev.taskscheduler.scheduler.punctuation.DuePunctuation;
import dev.taskscheduler.scheduler.punctuation.PunctuationAlarms;
import dev.taskscheduler.scheduler.punctuation.PunctuationTiming;
import dev.taskscheduler.scheduler.timer.TimerKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * Fires recurring schedules. Each schedule has one timer, at its next firing; when it fires, a
 * task submission goes to {@code tasks.submissions} with the idempotency key
 * {@code schedule:<id>:<fire time in epoch ms>}, in the same Kafka transaction as the move of the
 * timer to the following firing. The api-server creates the task from it like any submission, so
 * even a replay creates each instance once.
 *
 * <p>A firing found more than {@code misfireThreshold} late (the scheduler was down) is a misfire:
 * {@code skip} drops it, {@code run_once} submits one task for all that were missed. Either way the
 * schedule continues from now.
 */
public class ScheduleProcessor implements Processor<String, String, String, String> {

    static final String SCHEDULES = "schedules";
    static final String SCHEDULE_TIMERS = "schedule-timers";
    private static final Logger log = LoggerFactory.getLogger(ScheduleProcessor.class);

    /** Bounds one punctuation, so a flood of firings is spread over several commits. */
    private static final int MAX_FIRINGS_PER_PUNCTUATION = 10_000;

    private final PunctuationTiming timing;
    private final PunctuationAlarms alarms;
    private final Duration misfireThreshold;
    private ProcessorContext<String, String> context;
    private KeyValueStore<String, String> schedules;
    private KeyValueStore<Bytes, String> timers;
    private DuePunctuation punctuation;

    public ScheduleProcessor(PunctuationTiming timing, PunctuationAlarms alarms, Duration misfireThreshold) {
        this.timing = timing;
        this.alarms = alarms;
        this.misfireThreshold = misfireThreshold;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.schedules = context.getStateStore(SCHEDULES);
        this.timers = context.getStateStore(SCHEDULE_TIMERS);
        this.punctuation = new DuePunctuation(context, timing, alarms, this::fireDue);
        punctuation.start(nextFiring());
    }

    @Override
    public void close() {
        if (punctuation != null) {
            punctuation.stop();
        }
    }

    @Override
    public void process(Record<String, String> record) {
        ScheduleEvent event;
        try {
            event = Json.read(record.value(), ScheduleEvent.class);
        } catch (RuntimeException e) {
            log.error("Skipping unreadable schedule event key={}: {}", record.key(), e.toString());
            return;
        }
        ScheduleState current = state(event.scheduleId().toString());
        if (current != null && current.schedule().version() > event.version()) {
            return; // a replayed, older change
        }
        removeTimer(current);
        Header type = record.headers().lastHeader(EventHeaders.EVENT_TYPE);
        if (type != null && ScheduleEvent.DELETED.equals(new String(type.value(), StandardCharsets.UTF_8))) {
            schedules.delete(event.scheduleId().toString());
            return;
        }
        Long next = null;
        if (!event.paused()) {
            try {
                next = toMillis(CronSchedule.parse(event.cron(), event.timeZone())
                        .nextAfter(Instant.ofEpochMilli(context.currentSystemTimeMs())));
            } catch (IllegalArgumentException e) {
                log.error("Schedule {} has an invalid cron expression or zone; it will not fire: {}",
                        event.scheduleId(), e.getMessage());
            }
        }
        store(new ScheduleState(event, next));
    }

    /**
     * Fires every schedule due by {@code now}. A firing moves the schedule's timer to its next
     * firing, which may itself be due already (a short interval), hence the rounds; each round
     * reads the due timers first and changes the store afterwards. Returns when the next firing is
     * due.
     */
    private long fireDue(long now) {
        int fired = 0;
        while (fired < MAX_FIRINGS_PER_PUNCTUATION) {
            List<KeyValue<Bytes, String>> due = new ArrayList<>();
            try (KeyValueIterator<Bytes, String> timersDue = timers.range(TimerKey.start(), TimerKey.upTo(now))) {
                while (timersDue.hasNext() && due.size() < MAX_FIRINGS_PER_PUNCTUATION - fired) {
                    due.add(timersDue.next());
                }
            }
            if (due.isEmpty()) {
                break;
            }
            for (KeyValue<Bytes, String> timer : due) {
                timers.delete(timer.key);
                ScheduleState state = state(timer.value);
                if (state != null) {
                    fire(state, TimerKey.dueMillis(timer.key), now);
                }
                fired++;
            }
        }
        return nextFiring();
    }

    /** The time of the first timer in the store, or {@link DuePunctuation#NOTHING_DUE}: one seek. */
    private long nextFiring() {
        try (KeyValueIterator<Bytes, String> all = timers.all()) {
            return all.hasNext() ? TimerKey.dueMillis(all.peekNextKey()) : DuePunctuation.NOTHING_DUE;
        }
    }

    private void fire(ScheduleState state, long fireAt, long now) {
        ScheduleEvent schedule = state.schedule();
        boolean misfire = now - fireAt > misfireThreshold.toMillis();
        CronSchedule cron = CronSchedule.parse(schedule.cron(), schedule.timeZone());
        if (!misfire || "run_once".equals(schedule.misfirePolicy())) {
            String key = "schedule:" + schedule.scheduleId() + ":" + fireAt;
            context.forward(new Record<>(key, submission(schedule, key, misfire ? null : fireAt), now));
        } else {
            log.warn("Schedule {} missed its firing at {} (policy skip)", schedule.scheduleId(),
                    Instant.ofEpochMilli(fireAt));
        }
        Instant from = Instant.ofEpochMilli(misfire ? now : fireAt);
        store(new ScheduleState(schedule, toMillis(cron.nextAfter(from))));
    }

    private static String submission(ScheduleEvent schedule, String key, Long runAt) {
        Map<String, Object> submission = new LinkedHashMap<>();
        submission.put("type", schedule.taskType());
        submission.put("payload", schedule.taskPayload());
        if (runAt != null) {
            submission.put("runAt", Instant.ofEpochMilli(runAt).toString());
        }
        submission.put("maxRetries", schedule.maxRetries());
        submission.put("priority", schedule.taskPriority());
        submission.put("idempotencyKey", key);
        return Json.write(submission);
    }

    private void store(ScheduleState state) {
        String id = state.schedule().scheduleId().toString();
        schedules.put(id, Json.write(state));
        if (state.nextFireAt() != null) {
            timers.put(TimerKey.of(state.nextFireAt(), UUID.fromString(id)), id);
            punctuation.dueAt(state.nextFireAt());
        }
    }

    private void removeTimer(ScheduleState state) {
        if (state != null && state.nextFireAt() != null) {
            timers.delete(TimerKey.of(state.nextFireAt(), state.schedule().scheduleId()));
        }
    }

    private ScheduleState state(String id) {
        String json = schedules.get(id);
        return json == null ? null : Json.read(json, ScheduleState.class);
    }

    private static Long toMillis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
