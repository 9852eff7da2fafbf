package dev.taskscheduler.bench.scenario;

import dev.taskscheduler.bench.load.Channel;
import java.time.Duration;
import java.util.List;

/**
 * Runs noop tasks through every channel before anything is measured, so that the figures describe
 * the system in its steady state rather than a JVM still loading classes, compiling hot methods
 * and filling connection pools. Nothing of it is reported but a note with its counts.
 */
public final class SystemWarmup {

    private final ScenarioContext context;

    public SystemWarmup(ScenarioContext context) {
        this.context = context;
    }

    /** @return a sentence for the report's notes */
    public String run(List<Channel> channels, int rate, Duration each) throws InterruptedException {
        StringBuilder note = new StringBuilder("Warm-up before the scenarios, not measured:");
        for (Channel channel : channels) {
            context.progress().status("warm-up: %d tasks/s for %d s through %s", rate, each.toSeconds(),
                    channel.name());
            EndToEndStep.Result step = EndToEndStep.run(context, channel, rate, each, "warm-up " + channel.name());
            context.progress().status("warm-up through %s: %d accepted, to start p50 %.0f ms p99 %.0f ms",
                    channel.name(), step.accepted(), step.toStart().p50(), step.toStart().p99());
            note.append(' ').append(step.accepted()).append(" tasks through ").append(channel.name())
                    .append(" at ").append(rate).append("/s");
            if (step.check().violated()) {
                note.append(" (check violated: ").append(step.check().describe()).append(')');
            }
            note.append(';');
        }
        note.setCharAt(note.length() - 1, '.');
        return note.toString();
    }
}
