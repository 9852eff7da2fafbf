package dev.taskscheduler.api.security;

import static dev.taskscheduler.api.TestHttp.json;
import static dev.taskscheduler.api.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.api.RunningApiServer;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The explicit opt-out, scheduler.security.enabled=false: open to everyone, audited as "unauthenticated". */
@RealInfrastructure
class AuthenticationOptOutTest {

    private static RunningApiServer api;
    private static JdbcClient db;

    @BeforeAll
    static void startApi(Infrastructure infrastructure) {
        api = RunningApiServer.start(infrastructure, "--scheduler.security.enabled=false");
        db = JdbcClient.create(infrastructure.dataSource());
    }

    @AfterAll
    static void stopApi() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void shouldServeEveryRequestWithoutCredentialsAndAuditThemAsUnauthenticated() {
        String type = "open-" + UUID.randomUUID().toString().substring(0, 8);
        var submitted = send("POST", api.baseUrl() + "/api/v1/tasks", null, "{\"type\":\"" + type + "\",\"delay\":\"PT1H\"}");
        var replay = send("POST", api.baseUrl() + "/api/v1/admin/dlq/replay", null,
                "{\"type\":\"" + type + "\",\"dryRun\":true}");

        assertThat(submitted.statusCode()).isEqualTo(202);
        assertThat(send("GET", api.baseUrl() + "/api/v1/admin/keys", null, null).statusCode()).isEqualTo(200);
        assertThat(db.sql("SELECT requested_by FROM dlq_replays WHERE id = ?").param(json(replay).path("replayId").asLong())
                .query(String.class).single()).isEqualTo("unauthenticated");
    }
}
