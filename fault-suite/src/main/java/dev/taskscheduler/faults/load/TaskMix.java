package dev.taskscheduler.faults.load;

import dev.taskscheduler.faults.ledger.LedgerHandlers;
import dev.taskscheduler.faults.load.Accepted.Expected;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The tasks the load is made of, all of the ledger type: most run at once, some a few seconds
 * later (their timers live through the fault), some take a while (a fault catches them mid-run),
 * some fail their first attempt (a retry goes round the pipeline) and a few fail for good (they
 * must end in the dead-letter queue). Retries wait half a second, doubling up to five.
 */
public final class TaskMix {

    private final Random random;

    public TaskMix(long seed) {
        this.random = new Random(seed);
    }

    /** One submission and how it must end; {@code key} goes into the JSON when not null. */
    public synchronized Planned next(String key, Instant now) {
        Map<String, Object> payload = new LinkedHashMap<>();
        int roll = random.nextInt(100);
        Expected expected = Expected.SUCCEEDED;
        if (roll < 5) {
            payload.put("nonRetryable", true);
            expected = Expected.DEAD_LETTER;
        } else if (roll < 20) {
            payload.put("failAttempts", 1);
        }
        payload.put("millis", random.nextInt(10) == 0 ? 1_500 + random.nextInt(1_500) : random.nextInt(200));
        Instant runAt = random.nextInt(4) == 0 ? now.plusMillis(1_000 + random.nextInt(7_000)) : now;
        Map<String, Object> submission = new LinkedHashMap<>();
        submission.put("type", LedgerHandlers.TYPE);
        submission.put("payload", payload);
        if (runAt.isAfter(now)) {
            submission.put("runAt", runAt.toString());
        }
        submission.put("maxRetries", 6);
        submission.put("retry", Map.of("initialDelay", "PT0.5S", "multiplier", 2.0, "maxDelay", "PT5S"));
        if (key != null) {
            submission.put("idempotencyKey", key);
        }
        return new Planned(submission, runAt, expected);
    }

    /** A probe: runs at once and succeeds at once. */
    public static Map<String, Object> probe() {
        return longRunning(0);
    }

    /** A task that succeeds after {@code millis} of work: a fault can catch it mid-run. */
    public static Map<String, Object> longRunning(long millis) {
        return Map.of("type", LedgerHandlers.TYPE, "payload", Map.of("millis", millis), "maxRetries", 6,
                "retry", Map.of("initialDelay", "PT0.5S", "multiplier", 2.0, "maxDelay", "PT5S"));
    }

    public record Planned(Map<String, Object> submission, Instant runAt, Expected expected) {
    }
}
