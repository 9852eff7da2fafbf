package dev.taskscheduler.bench.cost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * CPU time of processes, read from Linux's /proc: user plus system time of every thread of a
 * process, alive or exited, in milliseconds.
 */
final class ProcessCpu {

    private static final Path PROC = Path.of("/proc");
    private static final double MS_PER_TICK = 1000.0 / clockTicksPerSecond();

    private ProcessCpu() {
    }

    /** Whether the figures can be read at all (Linux). */
    static boolean available() {
        return Files.isReadable(PROC.resolve("self/stat"));
    }

    /** CPU of the process itself (all its threads, alive or exited), not of its children; NaN when gone. */
    static double ownMs(long pid) {
        long[] times = times(pid);
        return times == null ? Double.NaN : (times[0] + times[1]) * MS_PER_TICK;
    }

    /**
     * CPU of the process and of all its descendants, including children that exited and were reaped
     * (the kernel adds those to their parent's cutime and cstime): e.g. PostgreSQL's postmaster with
     * every backend, alive or already disconnected.
     */
    static double treeMs(long pid) {
        if (times(pid) == null) {
            return Double.NaN;
        }
        Map<Long, List<Long>> children = childrenByParent();
        double total = 0;
        List<Long> todo = new ArrayList<>(List.of(pid));
        Set<Long> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            long next = todo.remove(todo.size() - 1);
            long[] times = seen.add(next) ? times(next) : null;
            if (times != null) {
                total += (times[0] + times[1] + times[2] + times[3]) * MS_PER_TICK;
                todo.addAll(children.getOrDefault(next, List.of()));
            }
        }
        return total;
    }

    /** The process that listens on a local TCP port (the parent, when a forked child shares the socket). */
    static OptionalLong listeningOn(int port) {
        Set<String> sockets = new HashSet<>();
        for (String table : List.of("net/tcp", "net/tcp6")) {
            for (String line : lines(PROC.resolve(table))) {
                String[] fields = line.trim().split("\\s+");
                // local_address is HEXIP:HEXPORT, state 0A is LISTEN, the inode is the tenth field.
                if (fields.length > 9 && fields[1].contains(":") && "0A".equals(fields[3])
                        && Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1), 16) == port) {
                    sockets.add("socket:[" + fields[9] + "]");
                }
            }
        }
        Set<Long> holders = new HashSet<>();
        for (long pid : pids()) {
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(pid + "/fd"))) {
                for (Path fd : fds) {
                    if (sockets.contains(Files.readSymbolicLink(fd).toString())) {
                        holders.add(pid);
                        break;
                    }
                }
            } catch (IOException e) {
                // gone, or not ours to look at
            }
        }
        return holders.stream().filter(pid -> !holders.contains(parentOf(pid))).mapToLong(Long::longValue)
                .findFirst();
    }

    /** utime, stime, cutime, cstime in clock ticks, or null when the process is gone. */
    private static long[] times(long pid) {
        String[] fields = statFields(pid);
        if (fields == null) {
            return null;
        }
        // Fields after the command name: state ppid ... utime(14) stime(15) cutime(16) cstime(17), 1-based.
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]),
                Long.parseLong(fields[14])};
    }

    private static long parentOf(long pid) {
        String[] fields = statFields(pid);
        return fields == null ? -1 : Long.parseLong(fields[1]);
    }

    /** The fields of /proc/PID/stat after the command name, which may itself hold spaces and parentheses. */
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(pid + "/stat"), StandardCharsets.US_ASCII);
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return null;
        }
    }

    private static Map<Long, List<Long>> childrenByParent() {
        Map<Long, List<Long>> children = new HashMap<>();
        for (long pid : pids()) {
            long parent = parentOf(pid);
            if (parent > 0) {
                children.computeIfAbsent(parent, p -> new ArrayList<>()).add(pid);
            }
        }
        return children;
    }

    private static List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            entries.forEach(entry -> pids.add(Long.parseLong(entry.getFileName().toString())));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list /proc", e);
        }
        return pids;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return getconf.waitFor(10, TimeUnit.SECONDS) && out.matches("\\d+") ? Long.parseLong(out) : 100;
        } catch (IOException e) {
            return 100; // the value on every common Linux
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
