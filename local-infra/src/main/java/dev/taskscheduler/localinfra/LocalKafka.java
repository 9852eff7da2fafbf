package dev.taskscheduler.localinfra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka cluster (KRaft, broker and controller in one process) running inside this JVM.
 *
 * <p>The data directory is formatted only on first use, so starting again on the same directory keeps topics,
 * records and committed offsets.
 */
public final class LocalKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalKafka.class);

    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalKafka(KafkaRaftServer server, Path dataDir, int port) {
        this.server = server;
        this.dataDir = dataDir;
        this.port = port;
    }

    /**
     * Starts a broker with its data in {@code dataDir} and its client listener on {@code port} (0 picks a free port),
     * and returns once clients can use it.
     */
    public static LocalKafka start(Path dataDir, int port) {
        return start(dataDir, port, Map.of());
    }

    /** As {@link #start(Path, int)}, with broker settings that replace or add to the defaults. */
    public static LocalKafka start(Path dataDir, int port, Map<String, String> overrides) {
        return start(dataDir, port, overrides, List.of());
    }

    /**
     * A further plaintext listener of the broker: it listens on {@code port} and tells the clients that connect to
     * it that the broker is at {@code localhost:advertisedPort}. A TCP proxy on {@code advertisedPort} in front of
     * it then carries all of those clients' traffic, not only their first connection.
     */
    public record ExtraListener(String name, int port, int advertisedPort) {
        public ExtraListener {
            if (!name.matches("[A-Z][A-Z0-9_]*") || name.equals("PLAINTEXT") || name.equals(CONTROLLER_LISTENER)) {
                throw new IllegalArgumentException("Listener name must be upper case and new: " + name);
            }
        }
    }

    /** As {@link #start(Path, int, Map)}, with further listeners beside the one on {@code port}. */
    public static LocalKafka start(Path dataDir, int port, Map<String, String> overrides,
                                   List<ExtraListener> extraListeners) {
        long startedAt = System.nanoTime();
        Path logDir = dataDir.toAbsolutePath();
        int clientPort = FreePorts.orPick(port, "Kafka");
        // Static voters (kraft.version 0) keep no controller endpoint in the metadata log, so the controller may
        // take a different free port on every start without breaking a restart on the same directory.
        int controllerPort = FreePorts.pick();
        Map<String, String> properties = brokerProperties(logDir, clientPort, controllerPort, overrides);
        addListeners(properties, extraListeners);
        KafkaConfig config = new KafkaConfig(properties, false);

        boolean formatted = formatIfNeeded(logDir);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        LocalKafka kafka = new LocalKafka(server, logDir, clientPort);
        try {
            server.startup();
            kafka.awaitReady();
        } catch (RuntimeException e) {
            kafka.close();
            throw new IllegalStateException("Kafka broker on port " + clientPort + " with data in " + logDir
                    + " did not start", e);
        }
        log.info("Kafka broker (KRaft, combined broker+controller) ready at {} in {} ms; controller on 127.0.0.1:{}, "
                        + "data in {} ({})", kafka.bootstrapServers(), elapsedMillis(startedAt), controllerPort, logDir,
                formatted ? "newly formatted" : "existing data");
        return kafka;
    }

    /** {@code localhost:PORT}, the value for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Shuts the broker down and waits until it has stopped; data stays in {@link #dataDir()}. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        long startedAt = System.nanoTime();
        server.shutdown();
        server.awaitShutdown();
        log.info("Kafka broker at {} stopped in {} ms", bootstrapServers(), elapsedMillis(startedAt));
    }

    private static Map<String, String> brokerProperties(Path logDir, int clientPort, int controllerPort,
                                                        Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ","
                + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + clientPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());

        // One node: every internal topic must fit on a single replica, or consumer groups, transactions
        // (Kafka Streams exactly_once_v2) and share groups never become available.
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // Fewer internal partitions than the production default of 50: created faster on first use, same behaviour.
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.num.partitions", "3");

        props.put("auto.create.topics.enable", "true");
        props.put("num.partitions", "3");
        props.put("group.initial.rebalance.delay.ms", "0");
        // The default 128 MiB compaction buffer is allocated eagerly: too much for a broker living in a test JVM.
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        // The controller appends a no-op record to the metadata log this often (default 500 ms) so that brokers can
        // tell its quorum is alive; one node has no one to tell, and each append wakes the raft, controller and
        // metadata-loader threads: most of the idle cost of KRaft here.
        props.put("metadata.max.idle.interval.ms", "5000");
        // One group coordinator thread, not four: a single node coordinates the system's few groups, and
        // each idle coordinator thread wakes about four times a second to poll its queue. (Fewer network
        // threads and request handlers were tried: requests then waited behind each other under load.)
        props.put("group.coordinator.threads", "1");
        props.putAll(overrides);
        return props;
    }

    private static void addListeners(Map<String, String> props, List<ExtraListener> extraListeners) {
        for (ExtraListener listener : extraListeners) {
            props.merge("listeners", listener.name() + "://127.0.0.1:" + listener.port(), (a, b) -> a + "," + b);
            props.merge("advertised.listeners", listener.name() + "://localhost:" + listener.advertisedPort(),
                    (a, b) -> a + "," + b);
            props.merge("listener.security.protocol.map", listener.name() + ":PLAINTEXT", (a, b) -> a + "," + b);
        }
    }

    /** Formats {@code logDir} unless a previous start already did, which is what lets data survive a restart. */
    private static boolean formatIfNeeded(Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return false;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(output, true, StandardCharsets.UTF_8))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .run();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create Kafka data directory " + logDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka storage in " + logDir + ": " + output, e);
        }
        log.debug("Formatted Kafka storage: {}", output.toString(StandardCharsets.UTF_8).trim());
        return true;
    }

    /** The broker accepts connections before its metadata is usable; wait until a client sees the node. */
    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> adminConfig = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "local-kafka-readiness");
        Exception lastFailure = null;
        try (Admin admin = Admin.create(adminConfig)) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000))
                            .nodes().get(6, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for Kafka at " + bootstrapServers(), e);
                } catch (Exception e) {
                    lastFailure = e; // not ready yet: the next call waits on the broker again
                }
            }
        }
        throw new IllegalStateException("Kafka at " + bootstrapServers() + " not ready within " + READY_TIMEOUT,
                lastFailure);
    }

    private static long elapsedMillis(long startedAtNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAtNanos);
    }
}
