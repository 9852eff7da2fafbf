package dev.taskscheduler.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * jfr-hotspots.md: what a Flight Recording of the services says, reduced to the top entries a
 * bottleneck is named from: hot methods (execution samples by top frame and by the first frame
 * of the project's own code), contended monitors, and socket and file I/O by the code waiting.
 */
public final class JfrHotspots {

    private static final int TOP = 15;
    private static final String OWN_CODE = "dev.taskscheduler.";

    private final Map<String, Long> topFrames = new HashMap<>();
    private final Map<String, Long> ownFrames = new HashMap<>();
    private final Map<String, Long> threads = new HashMap<>();
    private final Map<String, Duration> locks = new HashMap<>();
    private final Map<String, Duration> socketIo = new HashMap<>();
    private final Map<String, Duration> fileIo = new HashMap<>();
    private long samples;

    public static String summarise(Path recording) throws IOException {
        JfrHotspots hotspots = new JfrHotspots();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            hotspots.add(event);
        }
        return hotspots.render(recording);
    }

    private void add(RecordedEvent event) {
        String name = event.getEventType().getName();
        RecordedStackTrace stack = event.getStackTrace();
        switch (name) {
            case "jdk.ExecutionSample" -> {
                samples++;
                if (stack != null && !stack.getFrames().isEmpty()) {
                    topFrames.merge(frame(stack.getFrames().get(0)), 1L, Long::sum);
                    stack.getFrames().stream().filter(f -> f.getMethod().getType().getName().startsWith(OWN_CODE))
                            .findFirst().ifPresent(f -> ownFrames.merge(frame(f), 1L, Long::sum));
                }
                if (event.getThread("sampledThread") != null) {
                    threads.merge(threadGroup(event.getThread("sampledThread").getJavaName()), 1L, Long::sum);
                }
            }
            case "jdk.JavaMonitorEnter" -> locks.merge(event.getClass("monitorClass").getName() + " in "
                    + caller(stack), event.getDuration(), Duration::plus);
            case "jdk.SocketRead", "jdk.SocketWrite" -> socketIo.merge(name.substring(4) + " " + caller(stack),
                    event.getDuration(), Duration::plus);
            case "jdk.FileRead", "jdk.FileWrite", "jdk.FileForce" -> fileIo.merge(name.substring(4) + " "
                    + caller(stack), event.getDuration(), Duration::plus);
            default -> { }
        }
    }

    /** Thread names without their numbers, so a pool's threads add up. */
    private static String threadGroup(String thread) {
        return thread == null ? "?" : thread.replaceAll("[-#]?\\d+", "-N");
    }

    /** The first frame of the project's own code, else the top frame. */
    private static String caller(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return "?";
        }
        return stack.getFrames().stream().filter(f -> f.getMethod().getType().getName().startsWith(OWN_CODE))
                .findFirst().map(JfrHotspots::frame).orElse(frame(stack.getFrames().get(0)));
    }

    private static String frame(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private String render(Path recording) {
        StringBuilder md = new StringBuilder("# JFR hotspots of the services\n\nRecording: `")
                .append(recording.getFileName()).append("` (settings=profile), ").append(samples)
                .append(" execution samples.\n");
        table(md, "Hot methods (top frame of execution samples)", "samples", topFrames, Long::doubleValue);
        table(md, "Hot paths in the project's code (first own frame of execution samples)", "samples", ownFrames,
                Long::doubleValue);
        table(md, "CPU samples by thread", "samples", threads, Long::doubleValue);
        table(md, "Contended monitors (total blocked time)", "ms", locks, d -> d.toNanos() / 1e6);
        table(md, "Socket I/O by caller (total time, events over the 20 ms threshold of the profile settings)", "ms",
                socketIo, d -> d.toNanos() / 1e6);
        table(md, "File I/O by caller (total time)", "ms", fileIo, d -> d.toNanos() / 1e6);
        return md.toString();
    }

    private static <T> void table(StringBuilder md, String title, String unit, Map<String, T> values,
            Function<T, Double> toNumber) {
        md.append("\n## ").append(title).append("\n\n| where | ").append(unit).append(" |\n|---|---:|\n");
        List<Map.Entry<String, Double>> top = values.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> toNumber.apply(e.getValue()))).entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(TOP).toList();
        for (Map.Entry<String, Double> entry : top) {
            md.append("| `").append(entry.getKey()).append("` | ")
                    .append(String.format(Locale.ROOT, "%,.0f", entry.getValue())).append(" |\n");
        }
    }
}
