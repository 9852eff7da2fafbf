package dev.taskscheduler.bench.system;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * JDBC connections to the system's PostgreSQL: as the services' user, and as a superuser for what
 * the services never do (creating the baseline database, seeding with triggers switched off).
 */
public final class Database {

    private final Endpoints endpoints;
    private final String superuser;

    public Database(Endpoints endpoints, String superuser) {
        this.endpoints = endpoints;
        this.superuser = superuser;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.dbUser(), endpoints.dbPassword());
    }

    public Connection connectAsSuperuser(String database) throws SQLException {
        return DriverManager.getConnection(endpoints.jdbcUrlOf(database), superuser, "");
    }

    /** A fresh, empty database of that name on the same server, owned by the services' user. */
    public void recreateDatabase(String name) throws SQLException {
        dropDatabase(name);
        try (Connection connection = connectAsSuperuser("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name + " OWNER " + endpoints.dbUser());
        }
    }

    /** Drops a database of the benchmark's own, closing whatever sessions it still has. */
    public void dropDatabase(String name) throws SQLException {
        try (Connection connection = connectAsSuperuser("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    public long queryLong(String sql, Object... params) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed: " + sql, e);
        }
    }

    /** A statement whose one parameter is an array of text values (e.g. task ids); returns the rows changed. */
    public long update(String sql, Object[] texts) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", texts));
            return statement.executeLargeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Update failed: " + sql, e);
        }
    }

    /** A query for one number whose one parameter is an array of text values. */
    public long count(String sql, Object[] texts) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", texts));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed: " + sql, e);
        }
    }

    public Endpoints endpoints() {
        return endpoints;
    }
}
