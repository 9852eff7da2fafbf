package dev.taskscheduler.api.schedule;

import java.util.UUID;

/** No schedule has this id. */
public class ScheduleNotFoundException extends RuntimeException {

    public ScheduleNotFoundException(UUID id) {
        super("Schedule " + id + " does not exist");
    }
}
