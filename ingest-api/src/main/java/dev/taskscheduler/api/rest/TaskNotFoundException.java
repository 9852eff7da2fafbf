package dev.taskscheduler.api.rest;

import java.util.UUID;

public class TaskNotFoundException extends RuntimeException {

    TaskNotFoundException(UUID id) {
        super("Task " + id + " does not exist");
    }
}
