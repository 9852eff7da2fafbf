package dev.taskscheduler.scheduler.punctuation;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When the stream threads of this process next have work of their own: the next run of each
 * {@link DuePunctuation}, and whether records came recently enough that their commit is still to
 * follow.
 *
 * <p>Kafka Streams runs wall-clock punctuations only between two polls of its consumer, so a
 * stream thread that must release timers on time has to poll briefly ({@code poll.ms}), about a
 * hundred times a second even when nothing is due for hours. With these alarms the consumer's poll
 * ({@link AlarmAwareClientSupplier}) waits as long as nothing needs the thread: until the next run
 * of a punctuation, a record's arrival (which ends any poll) or the idle poll time, whichever is
 * first. While records keep the thread busy, or a run is due within {@code poll.ms}, it polls as
 * Kafka Streams asks.
 *
 * <p>Thread-safe: punctuations of every stream thread publish here, and each thread's consumer
 * reads the earliest alarm of all (a thread may wake for another's alarm: harmless, only early).
 */
public final class PunctuationAlarms {

    private final Map<Object, Long> nextRuns = new ConcurrentHashMap<>();
    private final long busyMillis;
    private volatile long busyUntil = Long.MIN_VALUE;

    /**
     * @param busyAfterRecords how long after records the thread keeps Kafka Streams' own poll time:
     *                         the commit interval, so their commit stays on time. (A punctuation's
     *                         commit may follow up to an idle poll late; releases are read before it.)
     */
    public PunctuationAlarms(Duration busyAfterRecords) {
        this.busyMillis = busyAfterRecords.toMillis();
    }

    /** {@code owner} next needs its stream thread at {@code wallClockMillis}. */
    public void set(Object owner, long wallClockMillis) {
        nextRuns.put(owner, wallClockMillis);
    }

    /** {@code owner} needs its stream thread no more (its task was closed). */
    public void clear(Object owner) {
        nextRuns.remove(owner);
    }

    /** Records arrived at {@code now}: their commit follows within the busy time. */
    public void recordsArrived(long now) {
        busyUntil = now + busyMillis;
    }

    /**
     * How long a stream thread's poll may block.
     *
     * @param requested what Kafka Streams asks for: {@code poll.ms}, or zero while it rebalances
     * @param idlePoll  the longest wait with nothing due
     * @return {@code requested} while busy, when Kafka Streams asks for less than its poll time, or
     *         when an alarm falls within it; else the time to the earliest alarm, at most {@code idlePoll}
     */
    public Duration pollTimeout(Duration requested, Duration idlePoll, long now) {
        long wanted = requested.toMillis();
        if (wanted == 0 || now < busyUntil) {
            return requested;
        }
        long earliest = earliest();
        if (earliest <= now || earliest - now <= wanted) {
            return requested;
        }
        return Duration.ofMillis(Math.min(earliest - now, Math.max(wanted, idlePoll.toMillis())));
    }

    private long earliest() {
        long earliest = Long.MAX_VALUE;
        for (long at : nextRuns.values()) { // one entry per task's processor: a handful
            earliest = Math.min(earliest, at);
        }
        return earliest;
    }
}
