package dev.taskscheduler.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** The machine the figures were taken on. */
public record Machine(int cores, String cpu, long memoryMb, String jdk, String os) {

    public static Machine current() {
        return new Machine(Runtime.getRuntime().availableProcessors(),
                firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch")),
                firstValue(Path.of("/proc/meminfo"), "MemTotal").map(kb -> Long.parseLong(kb.split("\\s+")[0]) / 1024)
                        .orElse(-1L),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                firstValue(Path.of("/etc/os-release"), "PRETTY_NAME").map(name -> name.replace("\"", ""))
                        .orElse(System.getProperty("os.name")) + " (" + System.getProperty("os.name") + " "
                        + System.getProperty("os.version") + ")");
    }

    /** The value of the first {@code key: value} or {@code key=value} line of a system file. */
    private static Optional<String> firstValue(Path file, String key) {
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(line -> line.startsWith(key))
                    .map(line -> line.substring(line.indexOf(line.contains("=") && !line.contains(":") ? '=' : ':') + 1)
                            .trim())
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
