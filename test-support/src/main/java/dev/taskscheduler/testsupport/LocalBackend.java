package dev.taskscheduler.testsupport;

import static java.util.concurrent.CompletableFuture.supplyAsync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import dev.taskscheduler.localinfra.LocalKafka;
import dev.taskscheduler.localinfra.LocalPostgres;
import dev.taskscheduler.localinfra.LocalRedis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kafka in this JVM plus PostgreSQL and Redis child processes, on free ports, with data in a temporary directory. */
final class LocalBackend implements Backend {

    private static final Logger log = LoggerFactory.getLogger(LocalBackend.class);

    private final Path root;
    private final LocalKafka kafka;
    private final LocalPostgres postgres;
    private final LocalRedis redis;

    private LocalBackend(Path root, LocalKafka kafka, LocalPostgres postgres, LocalRedis redis) {
        this.root = root;
        this.kafka = kafka;
        this.postgres = postgres;
        this.redis = redis;
    }

    /** Starts the three servers side by side: total startup is that of the slowest one. */
    static LocalBackend start() {
        Path root = createTempRoot();
        ExecutorService starter = Executors.newFixedThreadPool(3, task -> {
            Thread thread = new Thread(task, "local-infra-starter");
            thread.setDaemon(true);
            return thread;
        });
        try {
            var kafka = supplyAsync(() -> LocalKafka.start(root.resolve("kafka"), 0), starter);
            var postgres = supplyAsync(() -> LocalPostgres.start(root.resolve("postgres"), 0), starter);
            var redis = supplyAsync(() -> LocalRedis.start(root.resolve("redis"), 0), starter);
            try {
                CompletableFuture.allOf(kafka, postgres, redis).join();
            } catch (CompletionException e) {
                // allOf completes only once all three have: stop those that did start, so no server is left behind.
                for (CompletableFuture<? extends AutoCloseable> started : List.of(kafka, postgres, redis)) {
                    started.thenAccept(LocalBackend::closeQuietly);
                }
                deleteRecursively(root);
                throw new IllegalStateException("Local test infrastructure did not start", e.getCause());
            }
            return new LocalBackend(root, kafka.join(), postgres.join(), redis.join());
        } finally {
            starter.shutdown();
        }
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    @Override
    public javax.sql.DataSource superuserDataSource() {
        return postgres.superuserDataSource();
    }

    @Override
    public String jdbcUsername() {
        return postgres.username();
    }

    @Override
    public String jdbcPassword() {
        return postgres.password();
    }

    @Override
    public String redisHost() {
        return redis.host();
    }

    @Override
    public int redisPort() {
        return redis.port();
    }

    @Override
    public void close() {
        closeQuietly(kafka);
        closeQuietly(postgres);
        closeQuietly(redis);
        deleteRecursively(root);
    }

    @Override
    public String toString() {
        return "local processes (data in " + root + ")";
    }

    private static Path createTempRoot() {
        try {
            return Files.createTempDirectory("task-scheduler-test-infra-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory for the test infrastructure", e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("Cannot stop {}", closeable, e);
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.warn("Cannot delete test infrastructure data in {}", root, e);
        }
    }
}
