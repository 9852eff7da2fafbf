package dev.taskscheduler.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.BadCredentialsException;

/**
 * How long the api-server trusts what it read about a key: a key in use is read again in the
 * background after half of {@code cache-ttl}, without making its requests wait, and no answer is
 * older than {@code cache-ttl}. The cache's time is a test clock; the keys live in PostgreSQL.
 */
@RealInfrastructure
class ApiKeyCacheTest {

    private static final Duration TTL = Duration.ofSeconds(10);

    private static DataSource dataSource;
    private static ApiKeyRepository repository;

    private final AtomicLong nanos = new AtomicLong();
    private ApiKeyAuthenticator authenticator;
    private String key;

    @BeforeAll
    static void migrate(Infrastructure infrastructure) {
        dataSource = infrastructure.dataSource();
        Flyway.configure().dataSource(dataSource).load().migrate();
        repository = new ApiKeyRepository(JdbcClient.create(dataSource));
    }

    @BeforeEach
    void newKey() {
        key = ApiKeyFormat.generate();
        repository.insert(UUID.randomUUID(), "cache-" + UUID.randomUUID(), key, List.of("tasks:submit"), null, null,
                "test");
        SecurityProperties properties = new SecurityProperties(true,
                new SecurityProperties.ApiKeys(TTL, 100, Duration.ofDays(1), Duration.ofDays(2)), null);
        authenticator = new ApiKeyAuthenticator(repository, properties, nanos::get);
    }

    @Test
    void shouldAnswerFromMemoryWhileAKeyInUseIsReadAgainAndThenSeeItsRevocation() throws Exception {
        assertThat(authenticator.authenticate(key).isAuthenticated()).isTrue();

        try (Connection locker = dataSource.getConnection(); Statement statement = locker.createStatement()) {
            // Whoever reads api_keys now waits until this transaction ends, as it would on a slow database.
            locker.setAutoCommit(false);
            statement.execute("LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE");
            nanos.addAndGet(TTL.dividedBy(2).plusMillis(1).toNanos());

            assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> assertThat(authenticator.authenticate(key).isAuthenticated()).isTrue());

            statement.executeUpdate("UPDATE api_keys SET revoked_at = now(), revoked_by = 'elsewhere'"
                    + " WHERE key_hash = sha256(convert_to('" + key + "', 'UTF8'))");
            locker.commit();
        }

        // The read that started in the background now sees the revocation, with no more time passed.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(
                () -> authenticator.authenticate(key)).isInstanceOf(BadCredentialsException.class));
    }

    @Test
    void shouldNotTrustWhatItReadAboutAKeyForLongerThanTheTtl() {
        assertThat(authenticator.authenticate(key).isAuthenticated()).isTrue();
        JdbcClient.create(dataSource).sql("UPDATE api_keys SET revoked_at = now(), revoked_by = 'elsewhere'"
                + " WHERE key_hash = :hash").param("hash", ApiKeyFormat.hash(key)).update();

        nanos.addAndGet(TTL.plusMillis(1).toNanos());

        assertThatThrownBy(() -> authenticator.authenticate(key)).isInstanceOf(BadCredentialsException.class)
                .hasMessageContaining("revoked");
    }
}
