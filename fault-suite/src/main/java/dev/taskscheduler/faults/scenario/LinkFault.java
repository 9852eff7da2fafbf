package dev.taskscheduler.faults.scenario;

import dev.taskscheduler.faults.proxy.FaultProxy;
import dev.taskscheduler.faults.system.Link;
import java.time.Duration;

/** A degraded link between one service and one dependency, through the suite's TCP proxy. */
public final class LinkFault implements Fault {

    private final Link link;
    private final FaultProxy.Mode mode;
    private final Duration hold;

    public LinkFault(Link link, FaultProxy.Mode mode, Duration hold) {
        this.link = link;
        this.mode = mode;
        this.hold = hold;
    }

    @Override
    public String description() {
        String what;
        if (mode instanceof FaultProxy.Mode.Delay delay) {
            what = delay.delay().toMillis() + " ms delay on every chunk either way";
        } else if (mode instanceof FaultProxy.Mode.Cut cut) {
            what = "connections reset at once, then each new one within " + cut.maxLife().toMillis() + " ms (loss)";
        } else if (mode instanceof FaultProxy.Mode.Blackhole) {
            what = "partition: bytes swallowed, new connections never reach the other side (proxy blackhole)";
        } else {
            what = "nothing";
        }
        return link.id() + ": " + what + " for " + hold.toSeconds() + " s";
    }

    @Override
    public void begin(ScenarioContext context) {
        context.system().proxy(link).set(mode);
    }

    @Override
    public Duration hold() {
        return hold;
    }

    @Override
    public void end(ScenarioContext context) {
        context.system().proxy(link).heal();
    }
}
