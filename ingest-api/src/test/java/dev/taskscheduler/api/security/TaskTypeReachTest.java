package dev.taskscheduler.api.security;

import static dev.taskscheduler.api.TestHttp.json;
import static dev.taskscheduler.api.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.api.RunningApiServer;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A key restricted to some task types neither sees nor touches anything of other types: such
 * objects answer 404 (as if they did not exist), listings leave them out, and submitting them is
 * refused with 403.
 */
@RealInfrastructure
class TaskTypeReachTest {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String OURS = "team-a-" + SUFFIX;
    private static final String THEIRS = "team-b-" + SUFFIX;

    private static RunningApiServer api;
    private static JdbcClient db;
    private static String teamKey;
    private static String teamKeyName;

    @BeforeAll
    static void startApi(Infrastructure infrastructure) {
        api = RunningApiServer.start(infrastructure);
        db = JdbcClient.create(infrastructure.dataSource());
        teamKey = api.createKey(List.of("tasks:submit", "tasks:read", "tasks:manage", "schedules:read",
                "schedules:write", "dlq:manage"), List.of(OURS));
        teamKeyName = db.sql("SELECT name FROM api_keys WHERE key_prefix = ?").param(ApiKeyFormat.displayed(teamKey))
                .query(String.class).single();
    }

    @AfterAll
    static void stopApi() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void shouldAnswer404ForTasksOfAnotherTypeAndLeaveThemOutOfListings() {
        String theirs = submit(api.adminKey(), THEIRS);
        String ours = submit(teamKey, OURS);

        assertThat(send("GET", url("/api/v1/tasks/" + theirs), teamKey, null).statusCode()).isEqualTo(404);
        assertThat(send("POST", url("/api/v1/tasks/" + theirs + "/cancel"), teamKey, "").statusCode()).isEqualTo(404);
        assertThat(send("POST", url("/api/v1/tasks/" + theirs + "/reschedule"), teamKey, "{\"delay\":\"PT2H\"}")
                .statusCode()).isEqualTo(404);
        assertThat(status(theirs)).isEqualTo("pending");
        assertThat(ids(send("GET", url("/api/v1/tasks?limit=1000"), teamKey, null))).contains(ours)
                .doesNotContain(theirs);
        assertThat(ids(send("GET", url("/api/v1/tasks?type=" + THEIRS), teamKey, null))).isEmpty();
        assertThat(send("GET", url("/api/v1/tasks/" + ours), teamKey, null).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRefuseToSubmitAnotherTypeAloneOrInABatch() {
        var single = send("POST", url("/api/v1/tasks"), teamKey, "{\"type\":\"" + THEIRS + "\",\"delay\":\"PT1H\"}");
        var batch = send("POST", url("/api/v1/tasks/batch"), teamKey, "{\"tasks\":[{\"type\":\"" + OURS
                + "\",\"delay\":\"PT1H\"},{\"type\":\"" + THEIRS + "\",\"delay\":\"PT1H\"}]}");

        assertThat(single.statusCode()).isEqualTo(403);
        assertThat(json(single).path("title").asString()).isEqualTo("Task type not allowed");
        JsonNode results = json(batch).path("results");
        assertThat(results.get(0).path("status").asInt()).isEqualTo(202);
        assertThat(results.get(1).path("status").asInt()).isEqualTo(403);
    }

    @Test
    void shouldNotNameAnotherTeamsTaskWhenAnIdempotencyKeyClashes() {
        String key = "shared-key-" + UUID.randomUUID();
        var first = submitWithKey(api.adminKey(), THEIRS, key);
        var clash = submitWithKey(teamKey, OURS, key);
        var adminClash = submitWithKey(api.adminKey(), OURS, key);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(clash.statusCode()).isEqualTo(422);
        assertThat(json(clash).has("existingTaskId")).isFalse();
        assertThat(clash.body()).doesNotContain(json(first).path("id").asString());
        assertThat(json(adminClash).path("existingTaskId").asString()).isEqualTo(json(first).path("id").asString());
    }

    private static java.net.http.HttpResponse<String> submitWithKey(String apiKey, String type, String idempotencyKey) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(url("/api/v1/tasks")))
                    .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                    .header("Idempotency-Key", idempotencyKey)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"type\":\"" + type
                            + "\",\"delay\":\"PT1H\"}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldHideSchedulesOfAnotherType() {
        String theirs = json(send("POST", url("/api/v1/schedules"), api.adminKey(), schedule("theirs", THEIRS)))
                .path("id").asString();

        assertThat(send("GET", url("/api/v1/schedules/" + theirs), teamKey, null).statusCode()).isEqualTo(404);
        assertThat(send("POST", url("/api/v1/schedules/" + theirs + "/pause"), teamKey, "").statusCode()).isEqualTo(404);
        assertThat(send("PUT", url("/api/v1/schedules/" + theirs), teamKey, schedule("theirs", OURS)).statusCode())
                .isEqualTo(404);
        assertThat(send("DELETE", url("/api/v1/schedules/" + theirs), teamKey, null).statusCode()).isEqualTo(404);
        assertThat(json(send("GET", url("/api/v1/schedules"), teamKey, null)).valueStream()
                .map(s -> s.path("id").asString())).doesNotContain(theirs);
        assertThat(send("POST", url("/api/v1/schedules"), teamKey, schedule("mine", THEIRS)).statusCode())
                .isEqualTo(403);
        assertThat(send("GET", url("/api/v1/schedules/" + theirs), api.adminKey(), null).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldListAndReplayOnlyDeadLettersOfItsOwnTypesAndAuditTheKey() {
        String theirs = submit(api.adminKey(), THEIRS);
        String ours = submit(teamKey, OURS);
        db.sql("UPDATE tasks SET status = 'dead_letter', last_error = 'boom' WHERE id IN (?::uuid, ?::uuid)")
                .params(theirs, ours).update();

        List<String> listed = ids(send("GET", url("/api/v1/admin/dlq?limit=1000"), teamKey, null));
        JsonNode replay = json(send("POST", url("/api/v1/admin/dlq/replay"), teamKey,
                "{\"taskIds\":[\"" + theirs + "\",\"" + ours + "\"]}"));

        assertThat(listed).contains(ours).doesNotContain(theirs);
        assertThat(replay.path("taskIds").valueStream().map(JsonNode::asString)).containsExactly(ours);
        assertThat(status(theirs)).isEqualTo("dead_letter");
        assertThat(db.sql("SELECT requested_by FROM dlq_replays WHERE id = ?").param(replay.path("replayId").asLong())
                .query(String.class).single()).isEqualTo("key:" + teamKeyName);
    }

    private static String submit(String key, String type) {
        var response = send("POST", url("/api/v1/tasks"), key, "{\"type\":\"" + type + "\",\"delay\":\"PT1H\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json(response).path("id").asString();
    }

    private static String schedule(String name, String type) {
        return "{\"name\":\"" + name + "-" + UUID.randomUUID() + "\",\"cron\":\"0 3 * * *\",\"task\":{\"type\":\""
                + type + "\"}}";
    }

    private static List<String> ids(java.net.http.HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).valueStream().map(task -> task.path("id").asString()).toList();
    }

    private static String status(String id) {
        return db.sql("SELECT status FROM tasks WHERE id = ?::uuid").param(id).query(String.class).single();
    }

    private static String url(String path) {
        return api.baseUrl() + path;
    }
}
