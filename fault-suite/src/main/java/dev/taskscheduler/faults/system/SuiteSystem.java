package dev.taskscheduler.faults.system;

import dev.taskscheduler.faults.ledger.LedgerHandlers;
import dev.taskscheduler.faults.proxy.FaultProxy;
import dev.taskscheduler.faults.proxy.PacketFilter;
import dev.taskscheduler.launcher.InfrastructureEndpoints;
import dev.taskscheduler.launcher.process.Part;
import dev.taskscheduler.launcher.process.ProcessModeSettings;
import dev.taskscheduler.launcher.process.ProcessModeSystem;
import dev.taskscheduler.localinfra.FreePorts;
import dev.taskscheduler.localinfra.LocalKafka;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The system under test: the dev launcher's process mode on free ports under the suite's data
 * folder, with a {@link FaultProxy} on each link the scenarios degrade (the service is configured
 * with the proxy's address, and a Kafka link gets a broker listener of its own advertised at the
 * proxy, so that every connection of that service passes it). Also what the suite itself needs:
 * the database, the API and the broker's address.
 */
public final class SuiteSystem implements AutoCloseable {

    private final ProcessModeSystem system;
    private final Map<String, FaultProxy> proxies;
    private final Path dataDir;
    private final JdbcClient db;
    private final String apiKey;
    private final KafkaDisk kafkaDisk;
    private final PacketFilter packetFilter = PacketFilter.detect();

    private SuiteSystem(ProcessModeSystem system, Map<String, FaultProxy> proxies, Path dataDir, JdbcClient db,
            String apiKey, KafkaDisk kafkaDisk) {
        this.system = system;
        this.proxies = proxies;
        this.dataDir = dataDir;
        this.db = db;
        this.apiKey = apiKey;
        this.kafkaDisk = kafkaDisk;
    }

    /**
     * @param kafkaOnSmallDisk whether the broker's log directory goes on a small filesystem of its own
     *                         (see {@link KafkaDisk}), for a scenario that fills it
     */
    public static SuiteSystem start(Path dataDir, List<Link> links, List<String> jvmOptions, boolean kafkaOnSmallDisk)
            throws IOException {
        int kafkaPort = FreePorts.pick();
        int postgresPort = FreePorts.pick();
        int redisPort = FreePorts.pick();
        Map<String, FaultProxy> proxies = new LinkedHashMap<>();
        List<LocalKafka.ExtraListener> listeners = new ArrayList<>();
        Map<Part, InfrastructureEndpoints> endpoints = new EnumMap<>(Part.class);
        for (Link link : links) {
            int target = switch (link.dependency()) {
                case KAFKA -> FreePorts.pick(); // the link's own broker listener
                case POSTGRES -> postgresPort;
                case REDIS -> redisPort;
                default -> throw new IllegalArgumentException("Not a dependency: " + link);
            };
            FaultProxy proxy = FaultProxy.start(link.id(), 0, target);
            proxies.put(link.id(), proxy);
            if (link.dependency() == Part.KAFKA) {
                listeners.add(new LocalKafka.ExtraListener(link.kafkaListenerName(), target, proxy.port()));
            }
        }
        Map<Part, Integer> ports = ProcessModeSettings.servicePorts(0, FreePorts::pick);
        ProcessModeSettings probe = settings(dataDir, kafkaPort, postgresPort, redisPort, ports, Map.of(), listeners,
                jvmOptions);
        InfrastructureEndpoints direct = probe.directEndpoints();
        for (Link link : links) {
            InfrastructureEndpoints current = endpoints.getOrDefault(link.service(), direct);
            int port = proxies.get(link.id()).port();
            endpoints.put(link.service(), switch (link.dependency()) {
                case KAFKA -> new InfrastructureEndpoints("localhost:" + port, current.jdbcUrl(),
                        current.jdbcUsername(), current.jdbcPassword(), current.redisUrl());
                case POSTGRES -> new InfrastructureEndpoints(current.kafkaBootstrapServers(),
                        "jdbc:postgresql://localhost:" + port + "/taskdb", current.jdbcUsername(),
                        current.jdbcPassword(), current.redisUrl());
                default -> new InfrastructureEndpoints(current.kafkaBootstrapServers(), current.jdbcUrl(),
                        current.jdbcUsername(), current.jdbcPassword(), "redis://localhost:" + port);
            });
        }
        ProcessModeSettings settings = settings(dataDir, kafkaPort, postgresPort, redisPort, ports, endpoints,
                listeners, jvmOptions);
        KafkaDisk kafkaDisk = kafkaOnSmallDisk ? KafkaDisk.mount(dataDir.resolve("kafka"))
                : KafkaDisk.none(dataDir.resolve("kafka"));
        ProcessModeSystem system;
        try {
            system = ProcessModeSystem.start(settings);
        } catch (RuntimeException e) {
            kafkaDisk.close();
            throw e;
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(direct.jdbcUrl());
        dataSource.setUser(direct.jdbcUsername());
        dataSource.setPassword(direct.jdbcPassword());
        dataSource.setConnectTimeout(5);
        dataSource.setSocketTimeout(30);
        String apiKey = Files.readString(dataDir.resolve("api-key")).trim();
        return new SuiteSystem(system, proxies, dataDir, JdbcClient.create(dataSource), apiKey, kafkaDisk);
    }

    private static ProcessModeSettings settings(Path dataDir, int kafkaPort, int postgresPort, int redisPort,
            Map<Part, Integer> ports, Map<Part, InfrastructureEndpoints> endpoints,
            List<LocalKafka.ExtraListener> listeners, List<String> jvmOptions) {
        return new ProcessModeSettings(dataDir, kafkaPort, postgresPort, redisPort, ports,
                ProcessModeSettings.managementPorts(ports, 0, FreePorts::pick), endpoints, listeners,
                Map.of("worker", List.of("--spring.main.sources=" + LedgerHandlers.class.getName(),
                        "--fault-suite.ledger-dir=" + dataDir.resolve("ledger"))),
                jvmOptions);
    }

    public ProcessModeSystem processes() {
        return system;
    }

    public FaultProxy proxy(Link link) {
        FaultProxy proxy = proxies.get(link.id());
        if (proxy == null) {
            throw new IllegalArgumentException("No proxy on " + link.id());
        }
        return proxy;
    }

    /** iptables in the suite's own network namespace, where it can be had. */
    public PacketFilter packetFilter() {
        return packetFilter;
    }

    public KafkaDisk kafkaDisk() {
        return kafkaDisk;
    }

    public JdbcClient db() {
        return db;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path ledgerDir() {
        return dataDir.resolve("ledger");
    }

    public String apiUrl() {
        return "http://localhost:" + system.settings().port(Part.API_SERVER);
    }

    public String apiKey() {
        return apiKey;
    }

    public String kafkaBootstrap() {
        return system.settings().directEndpoints().kafkaBootstrapServers();
    }

    /** FLUSHALL on the Redis server, in the protocol's own words. */
    public void flushRedis() {
        try (Socket socket = new Socket("localhost", system.settings().redisPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write("*1\r\n$8\r\nFLUSHALL\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[5];
            int read = in.readNBytes(answer, 0, answer.length);
            String reply = new String(answer, 0, read, StandardCharsets.US_ASCII);
            if (!reply.startsWith("+OK")) {
                throw new IllegalStateException("FLUSHALL answered " + reply);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot flush Redis", e);
        }
    }

    @Override
    public void close() {
        system.close();
        packetFilter.close();
        proxies.values().forEach(FaultProxy::close);
        kafkaDisk.close();
    }
}
