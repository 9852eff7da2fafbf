package dev.taskscheduler.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A Redis server (the binary bundled with embedded-redis) run as a child process on 127.0.0.1, persisting to an
 * append-only file in its data directory so that data survives a restart, and bounded in memory like the deployed
 * one.
 */
public final class LocalRedis implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalRedis.class);

    public static final String HOST = "localhost";
    private static final String PID_FILE = "redis.pid";
    /** The deployment's bound on Redis memory; entries beyond it are evicted least recently used first. */
    static final String MAX_MEMORY = "384mb";

    private final RedisServer server;
    private final FileLock dataDirLock;
    private final Path dataDir;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalRedis(RedisServer server, FileLock dataDirLock, Path dataDir, int port) {
        this.server = server;
        this.dataDirLock = dataDirLock;
        this.dataDir = dataDir;
        this.port = port;
    }

    /**
     * Attempts at starting the server. A picked port may be taken by another process first. And the
     * binary, just extracted to a temporary file, can fail to run with "Text file busy": a process
     * forked meanwhile by another thread of this JVM (PostgreSQL starts in parallel) briefly holds the
     * file open for writing.
     */
    private static final int START_ATTEMPTS = 5;
    private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

    /** Starts Redis with its files in {@code dataDir} on {@code port} (0 picks a free port). */
    public static LocalRedis start(Path dataDir, int port) {
        long startedAt = System.nanoTime();
        Path dir = dataDir.toAbsolutePath();
        createDirectories(dir);
        // Held while the server runs: whoever gets it knows that a redis-server in the pid file is an orphan.
        FileLock lock = OrphanedServer.lockDataDir(dir.resolve("local-redis.lock"));
        // Before the port check: an orphan left by a killed JVM usually holds the very port asked for.
        OrphanedServer.stopIfRunning(dir.resolve(PID_FILE), "redis-server");
        RedisServer server = null;
        int serverPort = -1;
        for (int attempt = 1; server == null; attempt++) {
            serverPort = FreePorts.orPick(port, "Redis"); // port 0 would make redis-server listen on no TCP port
            try {
                server = startServer(dir, serverPort);
            } catch (IOException | RuntimeException e) {
                if (attempt < START_ATTEMPTS && (port == 0 || isTextFileBusy(e))) {
                    log.warn("Redis did not start on port {} (attempt {} of {}), trying again: {}", serverPort,
                            attempt, START_ATTEMPTS, e.toString());
                    pause(RETRY_PAUSE);
                    continue;
                }
                OrphanedServer.release(lock);
                throw new IllegalStateException("Redis on port " + serverPort + " with data in " + dir
                        + " did not start", e);
            }
        }
        LocalRedis redis = new LocalRedis(server, lock, dir, serverPort);
        log.info("Redis ready at {} in {} ms, append-only data in {}", redis.redisUrl(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt), dir);
        return redis;
    }

    private static RedisServer startServer(Path dir, int serverPort) throws IOException {
        RedisServer server = RedisServer.newRedisServer()
                .bind("127.0.0.1")
                .port(serverPort)
                .setting("dir " + quoted(dir))
                .setting("pidfile " + quoted(dir.resolve(PID_FILE)))
                .setting("appendonly yes")
                .setting("appendfsync everysec")
                // As deployed: rewrite the AOF when it has grown to five times its last rewrite, and take no
                // periodic RDB snapshots; each is a fork that writes all the data again.
                .setting("auto-aof-rewrite-percentage 400")
                .setting("auto-aof-rewrite-min-size 64mb")
                .setting("save \"\"")
                // As deployed: a rewrite's snapshot is written uncompressed, which spares the forked child
                // about a third of its CPU for a file about an eighth larger.
                .setting("rdbcompression no")
                // As deployed (deploy/base/redis/redis.conf): the status cache's entries live for minutes, so
                // without a bound it grows with the task rate, and every snapshot and AOF rewrite forks and
                // writes all of it.
                .setting("maxmemory " + MAX_MEMORY)
                .setting("maxmemory-policy allkeys-lru")
                // Drain the server's log: an unread pipe would eventually block redis-server on its next write.
                .soutListener(line -> log.debug("redis-server: {}", line))
                .serrListener(line -> log.warn("redis-server: {}", line))
                .build();
        server.start();
        return server;
    }

    private static boolean isTextFileBusy(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains("Text file busy")) {
                return true;
            }
        }
        return false;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting Redis", e);
        }
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** {@code redis://localhost:PORT}, the value for {@code spring.data.redis.url}. */
    public String redisUrl() {
        return "redis://" + HOST + ":" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the server (SIGTERM, which flushes the append-only file) and waits for it to exit. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop Redis on port " + port, e);
        } finally {
            OrphanedServer.release(dataDirLock);
        }
        log.info("Redis on port {} stopped, data kept in {}", port, dataDir);
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create Redis data directory " + dir, e);
        }
    }

    private static String quoted(Path path) {
        return "\"" + path.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
