package dev.taskscheduler.bench.scenario;

import dev.taskscheduler.bench.system.Kafka;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.Topics;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * Waits until the work of earlier scenarios has passed through every stage: the submission topic
 * read, the scheduler's input read (an ingest scenario leaves tens of thousands of future tasks
 * whose events the scheduler must still store as timers), the default pool's ready topics read.
 * A scenario that measures latency starts after it, so it measures its own tasks, not a queue
 * left by the one before.
 */
final class PipelineDrain {

    private static final String SUBMISSIONS_GROUP = "api-server-submissions";
    private static final String WORKER_GROUP = "worker-default";

    private PipelineDrain() {
    }

    /** @return whether the pipeline drained within {@code timeout} */
    static boolean await(ScenarioContext context, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastReport = System.nanoTime();
        try (Admin admin = context.kafka().admin()) {
            while (true) {
                long submissions = Kafka.lag(admin, SUBMISSIONS_GROUP, Topics.SUBMISSIONS);
                long events = Kafka.lag(admin, SchedulerState.GROUP, Topics.TASK_EVENTS);
                long ready = Arrays.stream(TaskPriority.values())
                        .mapToLong(priority -> Kafka.lag(admin, WORKER_GROUP, Topics.ready("default", priority)))
                        .sum();
                if (submissions + events + ready == 0) {
                    return true;
                }
                if (System.nanoTime() > deadline) {
                    context.progress().status("pipeline not drained after %d s: %d submissions, %d events, %d ready"
                            + " records unread", timeout.toSeconds(), submissions, events, ready);
                    return false;
                }
                if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(10)) {
                    context.progress().status("waiting for earlier work: %d submissions, %d events, %d ready records"
                            + " unread", submissions, events, ready);
                    lastReport = System.nanoTime();
                }
                TimeUnit.MILLISECONDS.sleep(250);
            }
        }
    }
}
