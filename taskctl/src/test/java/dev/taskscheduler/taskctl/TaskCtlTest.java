package dev.taskscheduler.taskctl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.api.IngestApiApplication;
import dev.taskscheduler.api.security.ApiKeyService;
import dev.taskscheduler.api.security.NewApiKey;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** taskctl against a real api-server on real PostgreSQL, Redis and Kafka. */
@RealInfrastructure
class TaskCtlTest {

    private static ConfigurableApplicationContext api;
    private static String apiUrl;
    private static String adminKey;
    private static JdbcClient db;

    @TempDir
    static Path folder;

    @BeforeAll
    static void startApi(Infrastructure infrastructure) {
        api = IngestApiApplication.builder().run(Stream.concat(Stream.of(infrastructure.springArguments()),
                Stream.of("--server.port=0", "--management.server.port=0", "--spring.main.banner-mode=off"))
                .toArray(String[]::new));
        apiUrl = "http://localhost:" + api.getEnvironment().getProperty("local.server.port");
        adminKey = createKey("taskctl-admin-" + UUID.randomUUID(), "admin");
        db = JdbcClient.create(infrastructure.dataSource());
    }

    private static String createKey(String name, String... scopes) {
        return api.getBean(ApiKeyService.class).create(new NewApiKey(name, List.of(scopes), null, null, null),
                "test-setup").key();
    }

    @AfterAll
    static void stopApi() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void shouldListTheTaskOfAnIdempotencyKey() {
        String key = "taskctl-" + UUID.randomUUID();
        Result submitted = taskctl("submit", "--type", "noop", "--delay", "PT1H", "--idempotency-key", key);
        assertThat(submitted.exitCode()).as(submitted.err()).isZero();
        String id = Json.mapper().readTree(submitted.out()).path("id").asString();
        String other = Json.mapper().readTree(taskctl("submit", "--type", "noop", "--delay", "PT1H").out())
                .path("id").asString();

        String listed = taskctl("list", "--idempotency-key", key).out();

        assertThat(listed).contains(id).doesNotContain(other);
    }

    @Test
    void shouldSubmitGetAndCancelATask() {
        Result submitted = taskctl("submit", "--type", "noop", "--delay", "PT1H", "--payload", "{\"a\":1}");
        assertThat(submitted.exitCode()).as(submitted.err()).isZero();
        String id = Json.mapper().readTree(submitted.out()).path("id").asString();

        assertThat(taskctl("get", id).out()).contains("\"status\" : \"pending\"");
        assertThat(taskctl("list", "--status", "pending", "--limit", "1000").out()).contains(id);
        assertThat(taskctl("cancel", id).out()).contains("\"status\" : \"cancelled\"");
        Result again = taskctl("cancel", id);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("HTTP 409");
    }

    @Test
    void shouldReplayDeadLettersAndRecordTheOperator() {
        String type = "ctl-" + UUID.randomUUID().toString().substring(0, 8);
        String id = Json.mapper().readTree(taskctl("submit", "--type", type, "--delay", "PT1H").out())
                .path("id").asString();
        db.sql("UPDATE tasks SET status = 'dead_letter', last_error = 'boom' WHERE id = ?::uuid").param(id).update();

        assertThat(taskctl("dlq", "list", "--type", type).out()).contains(id);
        assertThat(taskctl("dlq", "replay", "--type", type, "--dry-run").out()).contains("\"matched\" : 1");
        String alice = "alice-" + UUID.randomUUID().toString().substring(0, 8);
        Result replayed = run("--api-url", apiUrl, "--api-key", createKey(alice, "dlq:manage"),
                "--endpoints-file", "none", "dlq", "replay", "--id", id);

        assertThat(replayed.out()).contains("\"replayed\" : 1");
        assertThat(db.sql("SELECT status FROM tasks WHERE id = ?::uuid").param(id).query(String.class).single())
                .isEqualTo("pending");
        assertThat(db.sql("SELECT requested_by FROM dlq_replays ORDER BY id DESC LIMIT 1").query(String.class).single())
                .isEqualTo("key:" + alice);
    }

    @Test
    void shouldExplainBadInputWithoutCallingTheServer() {
        Result badDelay = taskctl("submit", "--type", "noop", "--delay", "soon");
        Result missingType = taskctl("submit");

        assertThat(badDelay.exitCode()).isEqualTo(2);
        assertThat(badDelay.err()).contains("--delay must be an ISO-8601 duration such as PT30S, not 'soon'");
        assertThat(missingType.exitCode()).isEqualTo(2);
        assertThat(missingType.err()).contains("Missing required option: '--type=<type>'");
    }

    @Test
    void shouldPassOnTheServersFieldErrors() {
        Result result = taskctl("submit", "--type", "bad type!");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("HTTP 400").contains("type: must be 1 to 100 characters");
    }

    @Test
    void shouldSayWhenTheServerCannotBeReached() {
        Result result = TaskCtlTest.run("--api-url", "http://localhost:1", "get", UUID.randomUUID().toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("cannot reach the api-server at http://localhost:1");
    }

    @Test
    void shouldCreateListAndRevokeAKeyThatThenStopsWorking() {
        String name = "ctl-key-" + UUID.randomUUID().toString().substring(0, 8);
        Result created = taskctl("keys", "create", "--name", name, "--scope", "tasks:submit,tasks:read",
                "--task-type", "noop", "--expires-in", "P1D");
        assertThat(created.exitCode()).as(created.err()).isZero();
        String key = Json.mapper().readTree(created.out()).path("key").asString();
        String id = Json.mapper().readTree(created.out()).path("apiKey").path("id").asString();

        Result submitted = run("--api-url", apiUrl, "--api-key", key, "--endpoints-file", "none",
                "submit", "--type", "noop", "--delay", "PT1H");
        assertThat(submitted.exitCode()).as(submitted.err()).isZero();
        assertThat(taskctl("keys", "list").out()).contains(name).contains(key.substring(0, 12)).doesNotContain(key);
        assertThat(taskctl("keys", "revoke", id).exitCode()).isZero();

        Result refused = run("--api-url", apiUrl, "--api-key", key, "--endpoints-file", "none",
                "submit", "--type", "noop");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("HTTP 401");
    }

    @Test
    void shouldTakeTheUrlAndKeyFromTheLaunchersEndpointsFile() throws Exception {
        Path endpoints = folder.resolve("endpoints.env");
        Files.writeString(endpoints, "API_URL=" + apiUrl + "\nAPI_KEY=" + adminKey + "\nREDIS_URL=redis://x\n");

        Result result = run("--endpoints-file", endpoints.toString(), "submit", "--type", "noop", "--delay", "PT1H");

        assertThat(result.exitCode()).as(result.err()).isZero();
    }

    @Test
    void shouldSayWhatIsMissingWithoutAKey() {
        Result result = run("--api-url", apiUrl, "--endpoints-file", "none", "get", UUID.randomUUID().toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("the api-server needs an API key: set TASKCTL_API_KEY");
    }

    @Test
    void shouldGenerateABashCompletionScript() {
        assertThat(run("generate-completion").out()).contains("complete -F _complete_taskctl");
    }

    /** taskctl as the admin, whatever the environment of the build says. */
    private static Result taskctl(String... args) {
        return run(Stream.concat(Stream.of("--api-url", apiUrl, "--api-key", adminKey, "--endpoints-file", "none"),
                Stream.of(args)).toArray(String[]::new));
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = TaskCtl.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exitCode, out.toString(), err.toString());
    }

    private record Result(int exitCode, String out, String err) {
    }
}
