package dev.taskscheduler.scheduler.recurring;

import dev.taskscheduler.model.ScheduleEvent;

/**
 * What the scheduler keeps of a schedule: its latest definition and its next firing.
 *
 * @param nextFireAt epoch milliseconds, or null while paused (or when the expression never fires again)
 */
record ScheduleState(ScheduleEvent schedule, Long nextFireAt) {
}
