package dev.taskscheduler.localinfra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.junit.jupiter.api.io.TempDir;

class LocalPostgresTest {

    @TempDir
    Path dataDir;

    @Test
    void appUserCanUseLogicalReplicationAndDataSurvivesRestart() throws Exception {
        try (LocalPostgres postgres = LocalPostgres.start(dataDir, 0)) {
            assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:" + postgres.port() + "/taskdb");
            DataSource app = postgres.dataSource();
            assertThat(query(app, "SHOW wal_level")).isEqualTo("logical");
            assertThat(query(app, "SHOW synchronous_commit")).isEqualTo("on");
            assertThat(query(app, "SHOW max_connections")).isEqualTo("200");
            assertThat(query(app, "SELECT current_user || '@' || current_database()")).isEqualTo("taskuser@taskdb");

            // What change data capture will do as taskuser: own a table, publish it, open a logical slot.
            execute(app, "CREATE TABLE outbox (id bigint PRIMARY KEY, payload text)");
            execute(app, "INSERT INTO outbox VALUES (1, 'kept')");
            execute(app, "CREATE PUBLICATION outbox_pub FOR TABLE outbox");
            assertThat(query(app, "SELECT slot_name FROM pg_create_logical_replication_slot('probe', 'pgoutput')"))
                    .isEqualTo("probe");
            execute(app, "SELECT pg_drop_replication_slot('probe')");
        }

        try (LocalPostgres postgres = LocalPostgres.start(dataDir, 0)) {
            assertThat(query(postgres.dataSource(), "SELECT payload FROM outbox WHERE id = 1")).isEqualTo("kept");
        }
    }

    @Test
    void checksPasswordsAndRunsTheDeclaredMajorVersion() throws Exception {
        try (LocalPostgres postgres = LocalPostgres.start(dataDir, 0)) {
            assertThat(query(postgres.dataSource(), "SHOW server_version")).startsWith(LocalPostgres.MAJOR_VERSION + ".");
            PGSimpleDataSource wrongPassword = new PGSimpleDataSource();
            wrongPassword.setURL(postgres.jdbcUrl());
            wrongPassword.setUser(postgres.username());
            wrongPassword.setPassword("not-" + postgres.password());
            assertThatThrownBy(() -> query(wrongPassword, "SELECT 1"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        }
    }

    @Test
    void refusesAClusterOfAnotherMajorVersionWithAClearMessage() throws Exception {
        Files.writeString(dataDir.resolve("postgresql.conf"), "");
        Files.writeString(dataDir.resolve("PG_VERSION"), "17\n");

        assertThatThrownBy(() -> LocalPostgres.start(dataDir, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("created by PostgreSQL 17")
                .hasMessageContaining("runs PostgreSQL " + LocalPostgres.MAJOR_VERSION);
    }

    static String query(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).as("row from %s", sql).isTrue();
            return result.getString(1);
        }
    }

    static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
