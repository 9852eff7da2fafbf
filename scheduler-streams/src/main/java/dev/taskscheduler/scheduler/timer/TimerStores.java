package dev.taskscheduler.scheduler.timer;

/** Names of the scheduler's state stores (and so of their changelog topics). */
final class TimerStores {

    /** (due time, task id) → scheduled event: the timers, in due-time order. */
    static final String TIMERS = "timers";

    /** task id → due time of its timer, to find and replace a task's timer. */
    static final String DUE_BY_TASK = "timers-by-task";

    private TimerStores() {
    }
}
