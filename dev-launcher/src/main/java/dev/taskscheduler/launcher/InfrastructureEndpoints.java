package dev.taskscheduler.launcher;

/** Where the system's Kafka, PostgreSQL and Redis are reachable. */
public record InfrastructureEndpoints(
        String kafkaBootstrapServers,
        String jdbcUrl,
        String jdbcUsername,
        String jdbcPassword,
        String redisUrl) {
}
