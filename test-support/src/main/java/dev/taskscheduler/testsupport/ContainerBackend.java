package dev.taskscheduler.testsupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The same three servers as Docker containers, for machines with a Docker engine. */
final class ContainerBackend implements Backend {

    private static final Logger log = LoggerFactory.getLogger(ContainerBackend.class);

    private static final String KAFKA_IMAGE = "apache/kafka:4.1.2";
    private static final String POSTGRES_IMAGE = "postgres:15-alpine";
    private static final String REDIS_IMAGE = "redis:7";
    private static final int REDIS_PORT = 6379;

    private final KafkaContainer kafka;
    private final PostgreSQLContainer postgres;
    private final GenericContainer<?> redis;

    private ContainerBackend(KafkaContainer kafka, PostgreSQLContainer postgres, GenericContainer<?> redis) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.redis = redis;
    }

    static ContainerBackend start() {
        // The image already sets replication factor 1 for offsets and transaction state; the rest matches LocalKafka.
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE)
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true")
                .withEnv("KAFKA_NUM_PARTITIONS", "3");
        // POSTGRES_USER is a superuser in this image, which covers replication and publications.
        PostgreSQLContainer postgres = new PostgreSQLContainer(POSTGRES_IMAGE)
                .withDatabaseName(Infrastructure.DATABASE)
                .withUsername(Infrastructure.USERNAME)
                .withPassword(Infrastructure.PASSWORD)
                .withCommand("postgres",
                        "-c", "wal_level=logical",
                        "-c", "synchronous_commit=on",
                        "-c", "max_replication_slots=10",
                        "-c", "max_wal_senders=10",
                        "-c", "max_slot_wal_keep_size=1GB",
                        "-c", "max_connections=200");
        GenericContainer<?> redis = new GenericContainer<>(REDIS_IMAGE).withExposedPorts(REDIS_PORT);
        ContainerBackend backend = new ContainerBackend(kafka, postgres, redis);
        try {
            Startables.deepStart(kafka, postgres, redis).join();
        } catch (RuntimeException e) {
            backend.close();
            throw new IllegalStateException("Test containers (" + KAFKA_IMAGE + ", " + POSTGRES_IMAGE + ", "
                    + REDIS_IMAGE + ") did not start", e);
        }
        return backend;
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public String jdbcUrl() {
        return postgres.getJdbcUrl();
    }

    @Override
    public javax.sql.DataSource superuserDataSource() {
        // POSTGRES_USER is the image's superuser.
        org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setURL(jdbcUrl());
        dataSource.setUser(jdbcUsername());
        dataSource.setPassword(jdbcPassword());
        return dataSource;
    }

    @Override
    public String jdbcUsername() {
        return postgres.getUsername();
    }

    @Override
    public String jdbcPassword() {
        return postgres.getPassword();
    }

    @Override
    public String redisHost() {
        return redis.getHost();
    }

    @Override
    public int redisPort() {
        return redis.getMappedPort(REDIS_PORT);
    }

    @Override
    public void close() {
        for (Startable container : new Startable[] {kafka, postgres, redis}) {
            try {
                container.stop();
            } catch (RuntimeException e) {
                log.warn("Cannot stop container {}", container, e);
            }
        }
    }

    @Override
    public String toString() {
        return "Testcontainers (" + KAFKA_IMAGE + ", " + POSTGRES_IMAGE + ", " + REDIS_IMAGE + ")";
    }
}
