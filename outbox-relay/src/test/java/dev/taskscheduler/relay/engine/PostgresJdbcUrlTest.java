package dev.taskscheduler.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PostgresJdbcUrlTest {

    @Test
    void hostPortAndDatabase() {
        assertThat(PostgresJdbcUrl.parse("jdbc:postgresql://db.internal:6543/taskdb"))
                .isEqualTo(new PostgresJdbcUrl("db.internal", 6543, "taskdb", Map.of()));
    }

    @Test
    void defaultPortAndQueryParameters() {
        assertThat(PostgresJdbcUrl.parse("jdbc:postgresql://localhost/taskdb?sslmode=require&ApplicationName=a%20b"))
                .isEqualTo(new PostgresJdbcUrl("localhost", 5432, "taskdb",
                        Map.of("sslmode", "require", "ApplicationName", "a b")));
    }

    @Test
    void ipv6Host() {
        assertThat(PostgresJdbcUrl.parse("jdbc:postgresql://[::1]:5433/taskdb"))
                .isEqualTo(new PostgresJdbcUrl("::1", 5433, "taskdb", Map.of()));
    }

    @Test
    void databaseOnlyMeansLocalhost() {
        assertThat(PostgresJdbcUrl.parse("jdbc:postgresql:taskdb"))
                .isEqualTo(new PostgresJdbcUrl("localhost", 5432, "taskdb", Map.of()));
    }

    @Test
    void rejectsUrlsItCannotConnectDebeziumWith() {
        assertThatIllegalArgumentException().isThrownBy(() -> PostgresJdbcUrl.parse("jdbc:mysql://localhost/taskdb"));
        assertThatIllegalArgumentException().isThrownBy(() -> PostgresJdbcUrl.parse("jdbc:postgresql://localhost:5432/"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PostgresJdbcUrl.parse("jdbc:postgresql://a:5432,b:5432/taskdb"))
                .withMessageContaining("Multi-host");
    }
}
