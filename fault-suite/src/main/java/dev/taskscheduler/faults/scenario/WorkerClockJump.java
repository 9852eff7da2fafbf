package dev.taskscheduler.faults.scenario;

import dev.taskscheduler.launcher.process.ChildPart;
import dev.taskscheduler.localinfra.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A second worker whose wall clock jumps while it takes its share of the load: forward, then back
 * past the true time, then right again. Its clock is libfaketime's (preloaded into its JVM), which
 * reads the offset from a file; the JVM's monotonic clock stays true, as the kernel keeps it so
 * when an operator or NTP steps the wall clock. Due times and attempt starts are the database's
 * clock, so nothing may start early, nor be lost or run twice.
 */
public final class WorkerClockJump implements Fault {

    private static final String WORKER = "worker-2";
    private static final List<Path> LIBRARY_PLACES = List.of(
            Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"),
            Path.of("/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"),
            Path.of("/usr/lib/faketime/libfaketime.so.1"));
    private static final Duration STOP_GRACE = Duration.ofSeconds(40);

    private final Duration jump;
    private final Duration each;
    private final List<String> notes = new ArrayList<>();
    private Path offsetFile;
    private ChildPart worker;

    /** @param each how long the clock stays ahead, and then behind */
    public WorkerClockJump(Duration jump, Duration each) {
        this.jump = jump;
        this.each = each;
    }

    @Override
    public String description() {
        return "a second worker's wall clock jumps +" + jump.toSeconds() + " s, " + each.toSeconds() + " s later to -"
                + jump.toSeconds() + " s, " + each.toSeconds() + " s later back to the true time (libfaketime)";
    }

    @Override
    public String unavailableBecause(ScenarioContext context) {
        return library().isPresent() ? null
                : "libfaketime is not installed (Debian package faketime), looked in " + LIBRARY_PLACES;
    }

    @Override
    public void prepare(ScenarioContext context) throws Exception {
        offsetFile = context.system().dataDir().resolve("run").resolve(WORKER + ".faketime");
        setOffset("+0");
        // FAKETIME_NO_CACHE would read the file on every clock call, which slows a JVM to a crawl; a
        // cache of one second still lets the offset change while the worker runs. The monotonic fix
        // (on by default with glibc) makes the JVM's timed waits return at once: its idle threads
        // spin and the worker takes minutes to start. File times stay true (NO_FAKE_STAT).
        Map<String, String> environment = Map.of(
                "LD_PRELOAD", library().orElseThrow().toString(),
                "FAKETIME_TIMESTAMP_FILE", offsetFile.toString(),
                "FAKETIME_CACHE_DURATION", "1",
                "FAKETIME_DONT_FAKE_MONOTONIC", "1",
                "FAKETIME_FORCE_MONOTONIC_FIX", "0",
                "NO_FAKE_STAT", "1");
        worker = context.system().processes().startExtraWorker(WORKER, FreePorts.pick(), FreePorts.pick(), environment,
                List.of());
        notes.add(WORKER + " (process " + worker.pid() + ") took load beside the worker");
    }

    @Override
    public void begin(ScenarioContext context) throws Exception {
        requireAlive();
        setOffset("+" + jump.toSeconds() + "s");
        Thread.sleep(each.toMillis());
        requireAlive();
        setOffset("-" + jump.toSeconds() + "s");
    }

    @Override
    public Duration hold() {
        return each;
    }

    @Override
    public void end(ScenarioContext context) throws Exception {
        setOffset("+0");
        requireAlive();
    }

    @Override
    public void cleanUp(ScenarioContext context) {
        // By name: a worker that never got ready has no handle here, and may still run.
        try {
            context.system().processes().part(WORKER).stop(STOP_GRACE);
        } catch (IllegalArgumentException neverStarted) {
            // prepare failed before it defined the worker
        }
    }

    @Override
    public List<String> notes() {
        return List.copyOf(notes);
    }

    private void requireAlive() {
        if (!worker.isAlive()) {
            throw new IllegalStateException(WORKER + " died; see " + worker.logFile());
        }
    }

    private void setOffset(String offset) throws IOException {
        Path partial = offsetFile.resolveSibling(offsetFile.getFileName() + ".partial");
        Files.writeString(partial, offset + "\n");
        Files.move(partial, offsetFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static Optional<Path> library() {
        return LIBRARY_PLACES.stream().filter(Files::isReadable).findFirst();
    }
}
