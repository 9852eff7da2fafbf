package dev.taskscheduler.testsupport;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import dev.taskscheduler.localinfra.LocalPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka broker, PostgreSQL server and Redis server shared by all tests of one JVM: started on first use, stopped
 * when the JVM exits.
 *
 * <p>Runs on Testcontainers when a Docker engine is reachable, otherwise as local processes (module local-infra).
 * {@code -Dtest.infrastructure=local} or {@code =containers} forces the choice.
 *
 * <p>Since everything is shared, tests should use their own topic names, keys and rows.
 */
public final class Infrastructure {

    private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);

    /** System property that forces a {@link Kind}: {@code local} or {@code containers}. */
    public static final String SELECTION_PROPERTY = "test.infrastructure";

    static final String DATABASE = LocalPostgres.DATABASE;
    static final String USERNAME = LocalPostgres.USERNAME;
    static final String PASSWORD = LocalPostgres.PASSWORD;

    /** How the servers run. */
    public enum Kind {
        /** Kafka in this JVM, PostgreSQL and Redis as child processes. */
        LOCAL,
        /** Docker containers managed by Testcontainers. */
        CONTAINERS
    }

    private static Infrastructure shared;
    private static RuntimeException startFailure;

    private final Kind kind;
    private final Backend backend;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private Infrastructure(Kind kind, Backend backend) {
        this.kind = kind;
        this.backend = backend;
    }

    /**
     * The JVM's infrastructure, started by the first call. Usable where the extension of {@link RealInfrastructure}
     * has not run yet, e.g. in static initializers.
     */
    public static synchronized Infrastructure shared() {
        if (shared != null) {
            return shared;
        }
        if (startFailure != null) {
            // Fail fast: retrying in every test class would only repeat a slow failure.
            throw new IllegalStateException("Test infrastructure failed to start earlier in this JVM", startFailure);
        }
        try {
            shared = start();
        } catch (RuntimeException e) {
            startFailure = e;
            throw e;
        }
        // A JVM shutdown hook rather than the end of the JUnit run: Spring's cached test contexts close in their own
        // shutdown hooks, and their Kafka clients and pools must not find the servers gone before that.
        Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "test-infrastructure-shutdown"));
        return shared;
    }

    public Kind kind() {
        return kind;
    }

    /** {@code host:port}, for {@code bootstrap.servers}. */
    public String kafkaBootstrapServers() {
        return backend.kafkaBootstrapServers();
    }

    /** JDBC URL of database {@code taskdb}. */
    public String jdbcUrl() {
        return backend.jdbcUrl();
    }

    public String jdbcUsername() {
        return backend.jdbcUsername();
    }

    public String jdbcPassword() {
        return backend.jdbcPassword();
    }

    /** Unpooled connections to {@link #jdbcUrl()} as {@link #jdbcUsername()}. */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl());
        dataSource.setUser(jdbcUsername());
        dataSource.setPassword(jdbcPassword());
        return dataSource;
    }

    /**
     * Connections as a superuser of the PostgreSQL server (not necessarily to {@code taskdb}), for
     * what the application's owner role may not do, such as creating a replication role.
     */
    public DataSource superuserDataSource() {
        return backend.superuserDataSource();
    }

    /** {@code redis://host:port}. */
    public String redisUrl() {
        return "redis://" + redisHost() + ":" + redisPort();
    }

    public String redisHost() {
        return backend.redisHost();
    }

    public int redisPort() {
        return backend.redisPort();
    }

    /**
     * Spring Boot properties pointing an application at this infrastructure, e.g. for a
     * {@code @DynamicPropertySource}: {@code springProperties().forEach((k, v) -> registry.add(k, () -> v))}.
     */
    public Map<String, String> springProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.kafka.bootstrap-servers", kafkaBootstrapServers());
        properties.put("spring.datasource.url", jdbcUrl());
        properties.put("spring.datasource.username", jdbcUsername());
        properties.put("spring.datasource.password", jdbcPassword());
        properties.put("spring.data.redis.url", redisUrl());
        return Collections.unmodifiableMap(properties);
    }

    /** {@link #springProperties()} as command-line arguments ({@code --name=value}), e.g. for SpringApplication.run. */
    public String[] springArguments() {
        return springProperties().entrySet().stream()
                .map(property -> "--" + property.getKey() + "=" + property.getValue())
                .toArray(String[]::new);
    }

    /** Creates topics with the broker's default of 3 partitions; topics that exist already are left as they are. */
    public void createTopics(String... names) {
        createTopics(Arrays.stream(names).map(name -> new NewTopic(name, Optional.empty(), Optional.empty())).toList());
    }

    /** Creates a topic with {@code partitions} partitions unless it exists already. */
    public void createTopic(String name, int partitions) {
        createTopics(List.of(new NewTopic(name, partitions, (short) 1)));
    }

    /** A consumer reading {@code topic} from the beginning, committed records only; see {@link KafkaTestConsumer}. */
    public KafkaTestConsumer consumer(String topic) {
        return new KafkaTestConsumer(kafkaBootstrapServers(), topic);
    }

    @Override
    public String toString() {
        return backend + ": Kafka " + kafkaBootstrapServers() + ", PostgreSQL " + jdbcUrl() + ", Redis " + redisUrl();
    }

    private void createTopics(List<NewTopic> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers()))) {
            for (var result : admin.createTopics(topics).values().entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + result.getKey() + " on "
                                + kafkaBootstrapServers(), e.getCause());
                    }
                }
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Topics " + topics + " not created within 30 s on "
                    + kafkaBootstrapServers(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics " + topics, e);
        }
    }

    private static Infrastructure start() {
        long startedAt = System.nanoTime();
        String forced = System.getProperty(SELECTION_PROPERTY, "");
        Kind kind = chooseKind(forced, DockerDetection::dockerAvailable);
        String reason = !forced.isBlank() ? "forced by -D" + SELECTION_PROPERTY + "=" + forced.trim()
                : kind == Kind.CONTAINERS ? "a Docker engine is reachable" : "no Docker engine is reachable";
        log.info("Starting test infrastructure as {} ({})", kind, reason);
        Backend backend = kind == Kind.LOCAL ? LocalBackend.start() : ContainerBackend.start();
        Infrastructure infrastructure = new Infrastructure(kind, backend);
        log.info("Test infrastructure ready in {} ms: {}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt), infrastructure);
        return infrastructure;
    }

    /** {@code forced} is the value of {@value #SELECTION_PROPERTY}; Docker is only looked for when it is blank. */
    static Kind chooseKind(String forced, BooleanSupplier dockerAvailable) {
        return switch (forced.trim().toLowerCase(Locale.ROOT)) {
            case "local" -> Kind.LOCAL;
            case "containers" -> Kind.CONTAINERS;
            case "" -> dockerAvailable.getAsBoolean() ? Kind.CONTAINERS : Kind.LOCAL;
            default -> throw new IllegalArgumentException("-D" + SELECTION_PROPERTY + "=" + forced
                    + " is neither 'local' nor 'containers'");
        };
    }

    private void stop() {
        if (stopped.getAndSet(true)) {
            return;
        }
        log.info("Stopping test infrastructure: {}", backend);
        backend.close();
    }
}
