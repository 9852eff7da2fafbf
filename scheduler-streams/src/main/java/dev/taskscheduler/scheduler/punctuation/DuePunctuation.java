package dev.taskscheduler.scheduler.punctuation;

import java.time.Duration;
import java.util.function.LongUnaryOperator;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * A wall-clock punctuation that runs when something is due rather than on a fixed beat.
 *
 * <p>Kafka Streams marks a task for commit after every punctuation, and under exactly-once every
 * commit is a Kafka transaction. A punctuation every 20 ms therefore cost an idle scheduler about
 * twenty transactions a second, each a handful of broker requests and log appends. This one runs
 * {@code resolution} after the next due time its body reports, never sooner than
 * {@code resolution} and never later than {@code idleCheck}; a processor that adds a timer tells
 * it with {@link #dueAt}, which brings the next run forward when needed. Each run it arms is
 * published to {@link PunctuationAlarms}, so that the stream thread is awake for it.
 *
 * <p>Not thread-safe: like the processor that owns it, it runs on its stream thread only.
 */
public final class DuePunctuation {

    /** What a body returns when nothing is due. */
    public static final long NOTHING_DUE = Long.MAX_VALUE;

    private final ProcessorContext<?, ?> context;
    private final PunctuationAlarms alarms;
    private final long resolution;
    private final long idleCheck;
    private final LongUnaryOperator body;
    private Cancellable scheduled;
    private long interval;
    private long nextRunAt = Long.MAX_VALUE;

    /**
     * @param body runs the punctuation at the given wall-clock time and returns the time its next
     *             timer is due ({@code now} or earlier when work is left over), or {@link #NOTHING_DUE}
     */
    public DuePunctuation(ProcessorContext<?, ?> context, PunctuationTiming timing, PunctuationAlarms alarms,
            LongUnaryOperator body) {
        this.context = context;
        this.alarms = alarms;
        this.resolution = timing.resolution().toMillis();
        this.idleCheck = timing.idleCheck().toMillis();
        this.body = body;
    }

    /**
     * Arms the punctuation when the processor starts: soon if its stores hold any timer (the run
     * then finds out when it is due), else after the idle check. The context's clock may not be set
     * yet while processors start, so the first timer added afterwards arms it anew. Until the first
     * run the stream thread stays on its short polls (an alarm at time zero).
     */
    public void start(long firstDue) {
        schedule(firstDue == NOTHING_DUE ? idleCheck : resolution);
        nextRunAt = Long.MAX_VALUE;
        alarms.set(this, 0);
    }

    /** The processor is closing (its task moves or the scheduler stops): nothing more to run. */
    public void stop() {
        if (scheduled != null) {
            scheduled.cancel();
            scheduled = null;
        }
        alarms.clear(this);
    }

    /** A timer due at {@code due} was added: the punctuation runs by then (within the resolution). */
    public void dueAt(long due) {
        long now = context.currentSystemTimeMs();
        if (Math.max(due, now + resolution) < nextRunAt) {
            arm(now, due);
        }
    }

    private void run(long now) {
        arm(now, body.applyAsLong(now));
    }

    private void arm(long now, long due) {
        long wanted = due == NOTHING_DUE ? idleCheck : Math.min(Math.max(due - now, resolution), idleCheck);
        nextRunAt = now + wanted;
        alarms.set(this, nextRunAt);
        if (wanted != interval) { // else the running schedule repeats at this interval already
            schedule(wanted);
        }
    }

    private void schedule(long wanted) {
        if (scheduled != null) {
            scheduled.cancel();
        }
        interval = wanted;
        scheduled = context.schedule(Duration.ofMillis(wanted), PunctuationType.WALL_CLOCK_TIME, this::run);
    }
}
