package dev.taskscheduler.api.security;

import static dev.taskscheduler.api.TestHttp.json;
import static dev.taskscheduler.api.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.api.RunningApiServer;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Keys created, used, listed and revoked over the API; stored only as hashes; every change audited. */
@RealInfrastructure
class ApiKeyLifecycleTest {

    private static RunningApiServer api;
    private static JdbcClient db;

    @BeforeAll
    static void startApi(Infrastructure infrastructure) {
        api = RunningApiServer.start(infrastructure);
        db = JdbcClient.create(infrastructure.dataSource());
    }

    @AfterAll
    static void stopApi() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void shouldCreateUseListAndRevokeAKeyAndAuditWhoDidIt() {
        String name = "ci-" + UUID.randomUUID().toString().substring(0, 8);
        var created = send("POST", url("/api/v1/admin/keys"), api.adminKey(),
                "{\"name\":\"" + name + "\",\"scopes\":[\"tasks:submit\"],\"expiresIn\":\"P7D\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String key = json(created).path("key").asString();
        String id = json(created).path("apiKey").path("id").asString();

        assertThat(submit(key)).isEqualTo(202);
        JsonNode listed = json(send("GET", url("/api/v1/admin/keys"), api.adminKey(), null));
        JsonNode entry = listed.valueStream().filter(k -> k.path("id").asString().equals(id)).findFirst().orElseThrow();
        assertThat(entry.path("prefix").asString()).isEqualTo(key.substring(0, 12));
        assertThat(entry.toString()).doesNotContain(key);

        assertThat(send("DELETE", url("/api/v1/admin/keys/" + id), api.adminKey(), null).statusCode()).isEqualTo(200);
        assertThat(submit(key)).isEqualTo(401);
        assertThat(send("DELETE", url("/api/v1/admin/keys/" + id), api.adminKey(), null).statusCode()).isEqualTo(404);

        String admin = "key:" + db.sql("SELECT name FROM api_keys WHERE key_prefix = ?")
                .param(ApiKeyFormat.displayed(api.adminKey())).query(String.class).single();
        assertThat(db.sql("SELECT action, principal FROM audit_events WHERE subject = ? ORDER BY id").param(id)
                .query().listOfRows()).containsExactly(
                        Map.of("action", "api-key.created", "principal", admin),
                        Map.of("action", "api-key.revoked", "principal", admin));
    }

    @Test
    void shouldKeepOnlyTheHashOfAKey() {
        String key = api.createKey(List.of("tasks:read"), null);

        List<Map<String, Object>> rows = db.sql("SELECT * FROM api_keys WHERE key_hash = sha256(convert_to(?, 'UTF8'))")
                .param(key).query().listOfRows();

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).values()).noneMatch(value -> value != null && value.toString().contains(key.substring(12)));
    }

    @Test
    void shouldRefuseMalformedUnknownAndExpiredKeys() {
        String expired = api.createKey(List.of("tasks:submit"), null);
        db.sql("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE key_prefix = ?")
                .param(ApiKeyFormat.displayed(expired)).update();
        String unknown = ApiKeyFormat.generate();
        String mistyped = api.adminKey().substring(0, 20) + (api.adminKey().charAt(20) == 'A' ? 'B' : 'A')
                + api.adminKey().substring(21);

        for (String key : List.of(expired, unknown, mistyped, "tsk_short", "not-a-key-or-a-token")) {
            var response = send("POST", url("/api/v1/tasks"), key, "{\"type\":\"noop\"}");
            assertThat(response.statusCode()).as(key).isEqualTo(401);
            assertThat(json(response).path("detail").asString()).isNotBlank();
        }
    }

    @Test
    void shouldNameEveryInvalidFieldOfAKeyRequest() {
        var response = send("POST", url("/api/v1/admin/keys"), api.adminKey(),
                "{\"name\":\"bad name!\",\"scopes\":[\"tasks:everything\"],\"taskTypes\":[],\"expiresIn\":\"P9999D\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("errors").valueStream().map(e -> e.path("field").asString()))
                .containsExactly("name", "scopes", "taskTypes", "expiresIn");
    }

    @Test
    void shouldRefuseKeyManagementToANonAdminKey() {
        String operator = api.createKey(List.of("tasks:submit", "tasks:read", "tasks:manage", "dlq:manage"), null);

        assertThat(send("POST", url("/api/v1/admin/keys"), operator,
                "{\"name\":\"escalated\",\"scopes\":[\"admin\"]}").statusCode()).isEqualTo(403);
    }

    private static int submit(String key) {
        return send("POST", url("/api/v1/tasks"), key, "{\"type\":\"noop\",\"delay\":\"PT1H\"}").statusCode();
    }

    private static String url(String path) {
        return api.baseUrl() + path;
    }
}
