package dev.taskscheduler.launcher.ops;

import dev.taskscheduler.launcher.ops.OpsScript.PostgresLogin;
import dev.taskscheduler.testsupport.Infrastructure;
import java.net.URI;
import java.util.Locale;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A database of its own on the shared test server, with the application's schema (the Flyway
 * migrations the api-server applies), so that a script's effect can be asserted on every row.
 */
final class ScratchDatabase implements AutoCloseable {

    private final JdbcClient admin;
    private final PostgresLogin login;
    private final JdbcClient db;

    private ScratchDatabase(JdbcClient admin, PostgresLogin login) {
        this.admin = admin;
        this.login = login;
        this.db = JdbcClient.create(dataSource(login));
    }

    /** Creates an empty database named {@code ops_<prefix>_<random>}, owned by the application's user. */
    static ScratchDatabase createEmpty(Infrastructure infrastructure, String prefix) {
        PostgresLogin taskdb = login(infrastructure);
        String name = ("ops_" + prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
        JdbcClient admin = JdbcClient.create(infrastructure.dataSource());
        admin.sql("CREATE DATABASE " + name).update();
        return new ScratchDatabase(admin, taskdb.withDatabase(name));
    }

    /** As {@link #createEmpty}, with the schema migrated. */
    static ScratchDatabase createWithSchema(Infrastructure infrastructure, String prefix) {
        ScratchDatabase database = createEmpty(infrastructure, prefix);
        Flyway.configure().dataSource(dataSource(database.login)).locations("classpath:db/migration").load().migrate();
        return database;
    }

    /** The application's login to the shared server's {@code taskdb}. */
    static PostgresLogin login(Infrastructure infrastructure) {
        URI uri = URI.create(infrastructure.jdbcUrl().substring("jdbc:".length()));
        return new PostgresLogin(uri.getHost(), uri.getPort(), uri.getPath().substring(1),
                infrastructure.jdbcUsername(), infrastructure.jdbcPassword());
    }

    static PGSimpleDataSource dataSource(PostgresLogin login) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(login.jdbcUrl());
        dataSource.setUser(login.user());
        dataSource.setPassword(login.password());
        return dataSource;
    }

    String name() {
        return login.database();
    }

    PostgresLogin login() {
        return login;
    }

    JdbcClient db() {
        return db;
    }

    /** Drops the database, also when a script left a session open in it. */
    @Override
    public void close() {
        admin.sql("DROP DATABASE IF EXISTS " + name() + " WITH (FORCE)").update();
    }
}
