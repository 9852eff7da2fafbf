package dev.taskscheduler.scheduler.punctuation;

import java.time.Duration;

/**
 * When a processor's {@link DuePunctuation} runs.
 *
 * @param resolution the shortest time between two runs: a timer is released at most this late
 *                   (plus the commit interval)
 * @param idleCheck  the longest time between two runs while nothing is due: a safety net only, as
 *                   every new timer wakes the punctuation itself
 */
public record PunctuationTiming(Duration resolution, Duration idleCheck) {

    public PunctuationTiming {
        if (resolution.isNegative() || resolution.isZero() || idleCheck.compareTo(resolution) < 0) {
            throw new IllegalArgumentException("need 0 < resolution (" + resolution + ") <= idle check (" + idleCheck + ")");
        }
    }
}
