package dev.taskscheduler.faults.scenario;

import dev.taskscheduler.faults.system.KafkaDisk;
import dev.taskscheduler.launcher.process.ChildPart;
import dev.taskscheduler.launcher.process.Part;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The broker's log directory runs out of space: a file fills its small filesystem to the last byte
 * while load flows, stays for a while, and is deleted. Whatever the broker does meanwhile (it may
 * stop: a broker whose only log directory fails shuts itself down), it is started again if it is
 * gone once the space is back, and every accepted task must still end.
 */
public final class KafkaDiskFull implements Fault {

    private final Duration full;
    private final List<String> notes = new ArrayList<>();

    public KafkaDiskFull(Duration full) {
        this.full = full;
    }

    @Override
    public String description() {
        return "the broker's log directory (a tmpfs of " + KafkaDisk.SIZE + ") filled to the last byte for "
                + full.toSeconds() + " s, then freed; the broker started again if it stopped";
    }

    @Override
    public String unavailableBecause(ScenarioContext context) {
        return context.system().kafkaDisk().unavailableBecause();
    }

    @Override
    public void begin(ScenarioContext context) throws Exception {
        long bytes = context.system().kafkaDisk().fill();
        notes.add("filled with " + bytes / (1 << 20) + " MiB");
    }

    @Override
    public Duration hold() {
        return full;
    }

    @Override
    public void end(ScenarioContext context) throws Exception {
        context.system().kafkaDisk().free();
        ChildPart broker = context.system().processes().part(Part.KAFKA);
        if (broker.isAlive()) {
            notes.add("the broker was still running when the space came back");
        } else {
            notes.add("the broker had stopped while the disk was full; started again");
            context.system().processes().restart(Part.KAFKA.id());
        }
    }

    @Override
    public List<String> notes() {
        return List.copyOf(notes);
    }
}
