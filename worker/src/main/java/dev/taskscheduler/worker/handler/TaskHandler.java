package dev.taskscheduler.worker.handler;

/**
 * The extension point for running tasks of one type. Implementations are Spring beans; each type
 * may have one handler. A handler may be called more than once for the same task (at-least-once
 * execution), so its effects should be idempotent, keyed for instance by task id and attempt.
 */
public interface TaskHandler {

    /** The task type this handler serves. */
    String type();

    /**
     * Runs one attempt. Return normally on success; throw to fail the attempt (it is retried while
     * attempts remain), or throw {@link NonRetryableTaskException} to fail the task at once.
     */
    TaskOutcome handle(TaskContext context) throws Exception;
}
