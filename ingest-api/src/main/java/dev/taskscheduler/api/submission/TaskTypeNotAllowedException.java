package dev.taskscheduler.api.submission;

/** The caller's credentials do not reach this task type. */
public class TaskTypeNotAllowedException extends RuntimeException {

    public TaskTypeNotAllowedException(String type) {
        super("These credentials may not submit or change tasks of type '" + type + "'");
    }
}
