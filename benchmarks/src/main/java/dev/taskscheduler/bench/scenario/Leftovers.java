package dev.taskscheduler.bench.scenario;

import dev.taskscheduler.bench.measure.TaskLookup;
import dev.taskscheduler.bench.system.Kafka;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.Topics;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * Clears what a step that fell behind left in the system, so the next one starts on an idle
 * system: pending tasks of the step are cancelled with the operators' SQL (pending → cancelled,
 * the trigger drops their timers), then the benchmark waits, boundedly, until the worker has read
 * its ready topics and no task of the step runs.
 */
final class Leftovers {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String SUBMISSIONS_GROUP = "api-server-submissions";
    private static final String WORKER_GROUP = "worker-default";

    private Leftovers() {
    }

    /** @return how many tasks were cancelled */
    static long cancel(ScenarioContext context, TaskLookup lookup, Collection<String> handles)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (Admin admin = context.kafka().admin()) {
            // Records still unread on the submission topic would create rows after the cancel.
            await(deadline, () -> Kafka.lag(admin, SUBMISSIONS_GROUP, Topics.SUBMISSIONS) == 0);
            long cancelled = context.db().update("UPDATE tasks t SET status = 'cancelled', finished_at = now(), "
                    + "updated_at = now() WHERE " + lookup.matchAny("t") + " AND t.status = 'pending'",
                    handles.toArray());
            List<String> ready = Arrays.stream(TaskPriority.values()).map(p -> Topics.ready("default", p)).toList();
            boolean idle = await(deadline, () -> ready.stream().mapToLong(t -> Kafka.lag(admin, WORKER_GROUP, t)).sum()
                    == 0 && context.db().count("SELECT count(*) FROM tasks t WHERE " + lookup.matchAny("t")
                    + " AND t.status = 'running'", handles.toArray()) == 0);
            context.progress().status("cancelled %,d leftover tasks; worker %s", cancelled,
                    idle ? "idle again" : "still busy after " + WAIT.toSeconds() + " s");
            return cancelled;
        }
    }

    private interface Condition {
        boolean holds();
    }

    private static boolean await(long deadline, Condition condition) throws InterruptedException {
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        return true;
    }
}
