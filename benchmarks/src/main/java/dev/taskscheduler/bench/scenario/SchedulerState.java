package dev.taskscheduler.bench.scenario;

import dev.taskscheduler.bench.system.FlightRecorder;
import dev.taskscheduler.bench.system.Kafka;
import dev.taskscheduler.bench.system.Metrics;
import dev.taskscheduler.model.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;

/** The scheduler seen from outside: its input lag, heap and state store on disk. */
public final class SchedulerState {

    /** The scheduler's Kafka Streams application id, its consumer group. */
    static final String GROUP = "task-scheduler-timers";

    private final ScenarioContext context;

    public SchedulerState(ScenarioContext context) {
        this.context = context;
    }

    /**
     * Waits until the scheduler has read every event on task.events.
     *
     * @return whether it got there within {@code timeout}
     */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastReport = System.nanoTime();
        try (Admin admin = context.kafka().admin()) {
            while (System.nanoTime() < deadline) {
                long lag = Kafka.lag(admin, GROUP, Topics.TASK_EVENTS);
                if (lag == 0) {
                    return true;
                }
                if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(10)) {
                    context.progress().status("scheduler still has %d events to read", lag);
                    lastReport = System.nanoTime();
                }
                TimeUnit.MILLISECONDS.sleep(250);
            }
        }
        return false;
    }

    /** Heap used by the services' JVM right after a full GC, in MiB; NaN when it is not ours to ask. */
    public double heapAfterGcMb() throws IOException, InterruptedException {
        OptionalLong pid = context.system().pid();
        if (pid.isEmpty() || context.system().endpoints().schedulerMetrics() == null) {
            return Double.NaN;
        }
        FlightRecorder.jcmd(pid.getAsLong(), "GC.run");
        return new Metrics(context.system().endpoints().schedulerMetrics())
                .sum("jvm_memory_used_bytes", "area=\"heap\"") / (1024 * 1024);
    }

    /** Resident set of the services' process in MiB (heap, RocksDB and everything else). */
    double residentMb() throws IOException {
        OptionalLong pid = context.system().pid();
        Path status = Path.of("/proc", Long.toString(pid.orElse(-1)), "status");
        if (pid.isEmpty() || !Files.isReadable(status)) {
            return Double.NaN;
        }
        try (Stream<String> lines = Files.lines(status)) {
            return lines.filter(line -> line.startsWith("VmRSS:"))
                    .mapToDouble(line -> Double.parseDouble(line.replaceAll("[^0-9]", "")) / 1024)
                    .findFirst().orElse(Double.NaN);
        }
    }

    /** Bytes under the scheduler's state directory (RocksDB files of the timer stores). */
    double storeMb() {
        try {
            return sizeMb();
        } catch (UncheckedIOException e) {
            return sizeMb(); // a file compacted away while walking: once more
        }
    }

    private double sizeMb() {
        Path dir = context.system().schedulerStateDir();
        if (dir == null || !Files.isDirectory(dir)) {
            return Double.NaN;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0; // compacted away while walking
                }
            }).sum() / (1024.0 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
