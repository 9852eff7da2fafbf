package dev.taskscheduler.faults.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's log directory on a small filesystem of its own (a tmpfs, mounted before the broker
 * starts), so that a scenario can fill it to the last byte and free it again. Mounting needs root;
 * without it the directory is an ordinary one and {@link #unavailableBecause()} says why.
 * The mount goes when the suite closes it, and at the latest when the suite's JVM exits.
 */
public final class KafkaDisk implements AutoCloseable {

    /** Room for the broker's data over the whole suite, with plenty to spare. */
    public static final String SIZE = "512m";
    private static final Logger log = LoggerFactory.getLogger(KafkaDisk.class);
    private static final int CHUNK = 1 << 20;

    private final Path dir;
    private final Path filler;
    private final String unavailable;
    private volatile boolean mounted;

    private KafkaDisk(Path dir, String unavailable) {
        this.dir = dir;
        this.filler = dir.resolve("fault-suite-filler");
        this.unavailable = unavailable;
        this.mounted = unavailable == null;
        if (mounted) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::close, "kafka-disk-unmount"));
        }
    }

    /** Mounts a tmpfs of {@value #SIZE} on {@code dir} (created empty), or tells why it could not. */
    public static KafkaDisk mount(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir, e);
        }
        String failure = Commands.run(List.of("mount", "-t", "tmpfs", "-o", "size=" + SIZE + ",mode=0700", "fault-suite-kafka",
                dir.toString()));
        if (failure != null) {
            log.warn("The broker's log directory stays on the ordinary disk: {}", failure);
            return new KafkaDisk(dir, "no tmpfs for the broker's log directory (mounting needs root): " + failure);
        }
        log.info("The broker's log directory {} is a tmpfs of {}", dir, SIZE);
        return new KafkaDisk(dir, null);
    }

    /** A disk that is not to be faulted: no mount at all. */
    public static KafkaDisk none(Path dir) {
        return new KafkaDisk(dir, "the suite was started without the broker's small disk");
    }

    /** Why the disk cannot be filled here, or null when it can. */
    public String unavailableBecause() {
        return unavailable;
    }

    /** Writes a file until the filesystem has not a byte left; returns its size in bytes. */
    public long fill() throws IOException {
        long written = 0;
        try (FileChannel file = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int chunk = CHUNK; chunk > 0; chunk /= 16) {
                ByteBuffer bytes = ByteBuffer.allocate(chunk);
                try {
                    while (true) {
                        bytes.clear();
                        written += file.write(bytes);
                    }
                } catch (IOException full) {
                    // No room for a chunk of this size: go on with smaller ones down to a byte.
                }
            }
        }
        return written;
    }

    /** Deletes the file {@link #fill()} wrote. */
    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    /** Unmounts the tmpfs (lazily, should a process still hold a file on it). */
    @Override
    public synchronized void close() {
        if (!mounted) {
            return;
        }
        mounted = false;
        String failure = Commands.run(List.of("umount", "--lazy", dir.toString()));
        if (failure != null) {
            log.warn("Could not unmount {}: {}", dir, failure);
        }
    }
}
