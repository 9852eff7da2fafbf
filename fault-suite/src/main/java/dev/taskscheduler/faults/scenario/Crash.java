package dev.taskscheduler.faults.scenario;

import dev.taskscheduler.launcher.process.Part;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/** SIGKILL of one part (a service, the broker, PostgreSQL or Redis), then, after a while down, its restart. */
public final class Crash implements Fault {

    private final Part part;
    private final Duration down;
    private final Set<Long> killedWorkers = new HashSet<>();

    public Crash(Part part, Duration down) {
        this.part = part;
        this.down = down;
    }

    @Override
    public String description() {
        return "kill -9 of " + part.id() + (part.isService() ? "" : " (every server process)") + ", down for "
                + down.toSeconds() + " s, then started again";
    }

    @Override
    public void begin(ScenarioContext context) {
        if (part == Part.WORKER) {
            killedWorkers.add(context.system().processes().part(part).pid());
        }
        context.system().processes().crash(part);
    }

    @Override
    public Duration hold() {
        return down;
    }

    @Override
    public void end(ScenarioContext context) {
        context.system().processes().restart(part.id());
    }

    @Override
    public Set<Long> faultedWorkerPids() {
        return killedWorkers;
    }
}
