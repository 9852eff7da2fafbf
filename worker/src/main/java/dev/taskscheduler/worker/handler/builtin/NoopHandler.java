package dev.taskscheduler.worker.handler.builtin;

import dev.taskscheduler.worker.handler.TaskContext;
import dev.taskscheduler.worker.handler.TaskHandler;
import dev.taskscheduler.worker.handler.TaskOutcome;
import org.springframework.stereotype.Component;

/** Does nothing and succeeds: for smoke tests and measuring the pipeline itself. */
@Component
class NoopHandler implements TaskHandler {

    @Override
    public String type() {
        return "noop";
    }

    @Override
    public TaskOutcome handle(TaskContext context) {
        return TaskOutcome.empty();
    }
}
