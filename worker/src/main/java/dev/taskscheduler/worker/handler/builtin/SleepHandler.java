package dev.taskscheduler.worker.handler.builtin;

import dev.taskscheduler.worker.handler.NonRetryableTaskException;
import dev.taskscheduler.worker.handler.TaskContext;
import dev.taskscheduler.worker.handler.TaskHandler;
import dev.taskscheduler.worker.handler.TaskOutcome;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Sleeps for {@code payload.millis} (0 to 10 minutes) and succeeds: a stand-in for slow work. */
@Component
class SleepHandler implements TaskHandler {

    static final long MAX_MILLIS = 600_000;

    @Override
    public String type() {
        return "sleep";
    }

    @Override
    public TaskOutcome handle(TaskContext context) throws InterruptedException {
        long millis = context.payload().path("millis").asLong(-1);
        if (millis < 0 || millis > MAX_MILLIS) {
            throw new NonRetryableTaskException("payload.millis must be a number from 0 to " + MAX_MILLIS);
        }
        Thread.sleep(millis);
        return TaskOutcome.of(Map.of("sleptMillis", millis));
    }
}
