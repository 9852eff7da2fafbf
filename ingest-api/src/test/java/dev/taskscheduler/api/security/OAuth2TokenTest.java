package dev.taskscheduler.api.security;

import static dev.taskscheduler.api.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.taskscheduler.api.RunningApiServer;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * OAuth2 access tokens from a configured issuer, whose JWK set this test serves: scopes come from
 * {@code scope} or {@code scp}, the reachable task types from {@code task_types}; tokens of another
 * issuer, expired or signed with another key are refused. API keys keep working beside them.
 */
@RealInfrastructure
class OAuth2TokenTest {

    private static final String ISSUER = "https://issuer.test/realms/task-scheduler";
    private static final String TYPE = "jwt-" + UUID.randomUUID().toString().substring(0, 8);

    private static HttpServer jwks;
    private static RSAKey signingKey;
    private static RunningApiServer api;
    private static JdbcClient db;

    @BeforeAll
    static void start(Infrastructure infrastructure) throws Exception {
        signingKey = new RSAKeyGenerator(2048).keyID("test-key").generate();
        byte[] keySet = new JWKSet(signingKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwks.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, keySet.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(keySet);
            }
        });
        jwks.start();
        api = RunningApiServer.start(infrastructure,
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + ISSUER,
                "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://127.0.0.1:"
                        + jwks.getAddress().getPort() + "/jwks");
        db = JdbcClient.create(infrastructure.dataSource());
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (jwks != null) {
            jwks.stop(0);
        }
    }

    @Test
    void shouldAuthorizeByTheTokensScopeClaimAndLimitItToItsTaskTypes() throws Exception {
        String token = token(signingKey, ISSUER, claims -> claims.claim("scope", "tasks:submit tasks:read")
                .claim("task_types", List.of(TYPE)), Duration.ofMinutes(5));

        var submitted = send("POST", url("/api/v1/tasks"), token, "{\"type\":\"" + TYPE + "\",\"delay\":\"PT1H\"}");
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        assertThat(send("POST", url("/api/v1/tasks"), token, "{\"type\":\"noop\"}").statusCode()).isEqualTo(403);
        assertThat(send("POST", url("/api/v1/tasks/batch"), token, "{\"tasks\":[]}").statusCode()).isEqualTo(400);
        assertThat(send("GET", url("/api/v1/admin/dlq"), token, null).statusCode()).isEqualTo(403);
    }

    @Test
    void shouldReadScopesFromAnScpListAndNameTheSubjectInAuditRows() throws Exception {
        String token = token(signingKey, ISSUER, claims -> claims.claim("scp", List.of("dlq:manage")),
                Duration.ofMinutes(5));

        var replay = send("POST", url("/api/v1/admin/dlq/replay"), token, "{\"type\":\"" + TYPE + "\",\"dryRun\":true}");

        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        assertThat(db.sql("SELECT requested_by FROM dlq_replays WHERE id = ?")
                .param(dev.taskscheduler.api.TestHttp.json(replay).path("replayId").asLong())
                .query(String.class).single()).isEqualTo("pipeline@example.test");
        assertThat(send("GET", url("/api/v1/tasks"), token, null).statusCode()).isEqualTo(403);
    }

    @Test
    void shouldRefuseTokensOfAnotherIssuerExpiredOrSignedWithAnotherKey() throws Exception {
        RSAKey otherKey = new RSAKeyGenerator(2048).keyID("test-key").generate();
        List<String> refused = List.of(
                token(signingKey, "https://other.test", claims -> claims.claim("scope", "admin"), Duration.ofMinutes(5)),
                token(signingKey, ISSUER, claims -> claims.claim("scope", "admin"), Duration.ofMinutes(-5)),
                token(otherKey, ISSUER, claims -> claims.claim("scope", "admin"), Duration.ofMinutes(5)));

        for (String token : refused) {
            assertThat(send("GET", url("/api/v1/tasks"), token, null).statusCode()).isEqualTo(401);
        }
        assertThat(send("GET", url("/api/v1/tasks"), api.adminKey(), null).statusCode()).isEqualTo(200);
    }

    private interface Claims {
        JWTClaimsSet.Builder add(JWTClaimsSet.Builder claims);
    }

    private static String token(RSAKey key, String issuer, Claims extra, Duration validFor) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet claims = extra.add(new JWTClaimsSet.Builder()
                        .issuer(issuer)
                        .subject("pipeline@example.test")
                        .issueTime(Date.from(now.minusSeconds(600)))
                        .expirationTime(Date.from(now.plus(validFor))))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String url(String path) {
        return api.baseUrl() + path;
    }
}
