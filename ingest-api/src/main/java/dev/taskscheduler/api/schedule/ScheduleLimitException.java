package dev.taskscheduler.api.schedule;

/** Creating the schedule would exceed {@code scheduler.ingest.schedules.max-count}. */
public class ScheduleLimitException extends RuntimeException {

    public ScheduleLimitException(int maxCount) {
        super("There are " + maxCount + " schedules already, the most this installation allows "
                + "(scheduler.ingest.schedules.max-count); delete one first");
    }
}
