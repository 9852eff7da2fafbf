package dev.taskscheduler.bench.load;

import java.time.Instant;
import java.util.StringJoiner;
import java.util.function.IntFunction;

/** Submission bodies the scenarios send. */
public final class Submissions {

    /** Task type of tasks that only wait (far in the future); routed to a pool no worker reads. */
    public static final String PARKED = "bench-parked";

    /** Task type of the timer-capacity burst; routed to the same unread pool. */
    public static final String TIMER = "bench-timer";

    /** The pool the two types above are routed to: its ready topic is read by the benchmark only. */
    public static final String BENCH_POOL = "bench";

    private Submissions() {
    }

    /** A noop task due at once. */
    public static String noopNow(long sequence) {
        return "{\"type\":\"noop\",\"payload\":{\"n\":" + sequence + "}}";
    }

    public static String at(String type, Instant runAt, long sequence) {
        return "{\"type\":\"" + type + "\",\"runAt\":\"" + runAt + "\",\"payload\":{\"n\":" + sequence + "}}";
    }

    public static String batch(int size, IntFunction<String> item) {
        StringJoiner joiner = new StringJoiner(",", "{\"tasks\":[", "]}");
        for (int i = 0; i < size; i++) {
            joiner.add(item.apply(i));
        }
        return joiner.toString();
    }
}
