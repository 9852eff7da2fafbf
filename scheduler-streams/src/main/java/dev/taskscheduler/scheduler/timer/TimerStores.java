package dev.taskscheduler.scheduler.timer;

import dev.taskscheduler.model.TaskPriority;
import java.util.Arrays;
import java.util.List;

/** Names of the scheduler's state stores (and so of their changelog topics). */
final class TimerStores {

    /**
     * (due time, task id) → scheduled event: the timers of normal tasks, in due-time order. Each other
     * priority has a store of its own ({@code timers-high}, {@code timers-low}), so a punctuation can
     * release every due high-priority task before it looks at the others.
     */
    static final String TIMERS = "timers";

    /** task id → due time of its timer, to find and replace a task's timer. */
    static final String DUE_BY_TASK = "timers-by-task";

    private TimerStores() {
    }

    static String timers(TaskPriority priority) {
        return priority == TaskPriority.NORMAL ? TIMERS : TIMERS + "-" + priority.value();
    }

    /** The timer stores in release order: high, normal, low. */
    static List<String> allTimers() {
        return Arrays.stream(TaskPriority.values()).map(TimerStores::timers).toList();
    }
}
