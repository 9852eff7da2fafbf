package dev.taskscheduler.faults.scenario;

import dev.taskscheduler.launcher.process.Part;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * SIGKILL of the worker while it runs tasks it claimed and has not written the outcome of: the
 * scenario submits long tasks and kills the worker once one of them is running, then restarts it.
 */
public final class CrashWorkerMidTask implements Fault {

    private static final int LONG_TASKS = 6;
    private static final Duration WAIT_FOR_RUNNING = Duration.ofSeconds(60);

    private final Crash crash = new Crash(Part.WORKER, Duration.ofSeconds(2));

    @Override
    public String description() {
        return "kill -9 of the worker between claim and outcome (while " + LONG_TASKS
                + " tasks of 4 s run), then started again";
    }

    @Override
    public void begin(ScenarioContext context) throws Exception {
        List<UUID> longTasks = context.load().submitLong(LONG_TASKS, 4_000);
        long deadline = System.nanoTime() + WAIT_FOR_RUNNING.toNanos();
        while (longTasks.stream().noneMatch(id -> "running".equals(context.ledger().status(id)))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("None of the long tasks ran within " + WAIT_FOR_RUNNING);
            }
            Thread.sleep(50);
        }
        crash.begin(context);
    }

    @Override
    public Duration hold() {
        return crash.hold();
    }

    @Override
    public void end(ScenarioContext context) {
        crash.end(context);
    }

    @Override
    public Set<Long> faultedWorkerPids() {
        return crash.faultedWorkerPids();
    }
}
