package dev.taskscheduler.bench.system;

import java.nio.file.Path;
import java.util.OptionalLong;

/** The running system the scenarios drive: started by the benchmark or already running. */
public interface SystemUnderTest extends AutoCloseable {

    Endpoints endpoints();

    /** The process of the services, when the benchmark knows it (for heap figures and JFR). */
    OptionalLong pid();

    /** The scheduler's Kafka Streams state directory, when it is on this machine. */
    Path schedulerStateDir();

    @Override
    void close();
}
