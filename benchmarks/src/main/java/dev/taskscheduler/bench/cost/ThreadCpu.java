package dev.taskscheduler.bench.cost;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CPU time of every live thread of a JVM, as {@code jcmd <pid> Thread.print} lists it: each
 * thread's header line carries its name, {@code cpu=…ms} and its native id, JVM threads (GC,
 * compiler, VM) included; the stack below it hints at the code of an unnamed pool thread.
 */
record ThreadCpu(Map<String, Sample> byNativeId) {

    /** One thread: its name, CPU so far, and the classes of its top stack frames. */
    record Sample(String name, double cpuMs, List<String> frames) {
    }

    private static final Pattern HEADER =
            Pattern.compile("^\"(.*)\"\\s.*?\\bcpu=([0-9.]+)ms\\b.*?\\bnid=(\\S+)");
    /** "at package.Class.method(" of a stack frame; hidden classes (lambdas) carry a slash in their name. */
    private static final Pattern FRAME = Pattern.compile("^\\s+at ([\\w.$/]+)\\.[\\w$<>]+\\(");
    private static final int FRAMES_KEPT = 40;

    static ThreadCpu parse(String threadPrint) {
        Map<String, Sample> threads = new HashMap<>();
        String name = null;
        String nid = null;
        double cpu = 0;
        List<String> frames = new ArrayList<>();
        for (String line : threadPrint.split("\n")) {
            Matcher header = HEADER.matcher(line);
            if (header.find()) {
                if (name != null) {
                    threads.put(nid, new Sample(name, cpu, frames));
                }
                name = header.group(1);
                cpu = Double.parseDouble(header.group(2));
                nid = header.group(3);
                frames = new ArrayList<>();
            } else if (name != null && frames.size() < FRAMES_KEPT) {
                Matcher frame = FRAME.matcher(line);
                if (frame.find()) {
                    frames.add(frame.group(1));
                }
            }
        }
        if (name != null) {
            threads.put(nid, new Sample(name, cpu, frames));
        }
        return new ThreadCpu(threads);
    }

    double totalMs() {
        return byNativeId.values().stream().mapToDouble(Sample::cpuMs).sum();
    }
}
