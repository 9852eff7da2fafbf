package dev.taskscheduler.api.limits;

import static dev.taskscheduler.api.TestHttp.json;
import static dev.taskscheduler.api.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.api.RunningApiServer;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Refusals before work is done: body size, JSON complexity, listing and schedule limits, each a 4xx problem. */
@RealInfrastructure
class RequestLimitsTest {

    private static RunningApiServer api;
    private static int maxSchedules;

    @BeforeAll
    static void startApi(Infrastructure infrastructure) {
        // Room for exactly two more schedules than the tests before this one left (the schema first,
        // as the api-server would apply it, in case no test before this one started one).
        Flyway.configure().dataSource(infrastructure.dataSource()).load().migrate();
        maxSchedules = JdbcClient.create(infrastructure.dataSource()).sql("SELECT count(*) FROM schedules")
                .query(Integer.class).single() + 2;
        api = RunningApiServer.start(infrastructure, "--scheduler.ingest.limits.max-request-size=64KB",
                "--scheduler.ingest.schedules.max-count=" + maxSchedules);
    }

    @AfterAll
    static void stopApi() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void shouldRefuseABodyAboveTheLimitByItsLengthAndWhenItIsChunked() throws Exception {
        String big = "{\"type\":\"noop\",\"payload\":{\"x\":\"" + "a".repeat(70_000) + "\"}}";

        HttpResponse<String> declared = send("POST", api.baseUrl() + "/api/v1/tasks", api.adminKey(), big);
        HttpResponse<String> chunked = HttpClient.newHttpClient().send(api.request("/api/v1/tasks")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))).build(),
                HttpResponse.BodyHandlers.ofString());

        for (HttpResponse<String> response : java.util.List.of(declared, chunked)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json(response).path("title").asString()).isEqualTo("Request body too large");
        }
    }

    @Test
    void shouldRefuseJsonNestedTooDeeply() {
        String deep = "{\"type\":\"noop\",\"payload\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(100) + "}";

        HttpResponse<String> response = send("POST", api.baseUrl() + "/api/v1/tasks", api.adminKey(), deep);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("title").asString()).isEqualTo("JSON beyond limits");
        assertThat(json(response).path("detail").asString()).contains("nesting depth");
    }

    @Test
    void shouldRefuseAnOversizedDeadLetterListing() {
        assertThat(send("GET", api.baseUrl() + "/api/v1/admin/dlq?limit=1001", api.adminKey(), null).statusCode())
                .isEqualTo(400);
        assertThat(send("POST", api.baseUrl() + "/api/v1/admin/dlq/replay", api.adminKey(),
                "{\"type\":\"noop\",\"limit\":10001,\"dryRun\":true}").statusCode()).isEqualTo(400);
    }

    @Test
    void shouldRefuseASchedulesFiringTooOftenAndOneBeyondTheCount() {
        HttpResponse<String> everySecond = send("POST", api.baseUrl() + "/api/v1/schedules", api.adminKey(),
                schedule("* * * * * *"));
        assertThat(everySecond.statusCode()).isEqualTo(400);
        assertThat(json(everySecond).path("errors").get(0).path("message").asString()).contains("1 s apart");

        assertThat(send("POST", api.baseUrl() + "/api/v1/schedules", api.adminKey(), schedule("0 4 * * *"))
                .statusCode()).isEqualTo(201);
        assertThat(send("POST", api.baseUrl() + "/api/v1/schedules", api.adminKey(), schedule("*/10 * * * * *"))
                .statusCode()).isEqualTo(201);
        HttpResponse<String> oneTooMany = send("POST", api.baseUrl() + "/api/v1/schedules", api.adminKey(),
                schedule("0 5 * * *"));
        assertThat(oneTooMany.statusCode()).isEqualTo(409);
        assertThat(json(oneTooMany).path("title").asString()).isEqualTo("Too many schedules");
    }

    private static String schedule(String cron) {
        return "{\"name\":\"limits-" + UUID.randomUUID() + "\",\"cron\":\"" + cron + "\",\"task\":{\"type\":\"noop\"}}";
    }
}
