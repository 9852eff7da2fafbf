package dev.taskscheduler.bench.system;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A system that is already running (e.g. {@code bin/task-scheduler-dev}), found through its
 * {@code endpoints.env}. The benchmark neither starts nor stops it.
 */
public record RunningSystem(Endpoints endpoints, OptionalLong pid, Path schedulerStateDir)
        implements SystemUnderTest {

    @Override
    public void close() {
        // not ours to stop
    }
}
