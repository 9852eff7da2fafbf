package dev.taskscheduler.testsupport;

/** One running set of Kafka, PostgreSQL and Redis, however it was started. */
interface Backend extends AutoCloseable {

    String kafkaBootstrapServers();

    String jdbcUrl();

    String jdbcUsername();

    String jdbcPassword();

    /** A connection to the PostgreSQL server as a superuser, for what only one may do (replication roles). */
    javax.sql.DataSource superuserDataSource();

    String redisHost();

    int redisPort();

    /** Stops everything; never throws, so that one failure does not leave the others running. */
    @Override
    void close();
}
