package dev.taskscheduler.taskctl;

import dev.taskscheduler.model.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code taskctl}: the operators' command line for a running api-server. Every command prints the
 * server's JSON answer; refused requests print the problem details and exit with 1, bad command
 * lines exit with 2.
 */
@Command(name = "taskctl", mixinStandardHelpOptions = true, version = "taskctl 0.1.0",
        description = "Operate the task scheduler through its api-server.",
        subcommands = {TaskCtl.Submit.class, TaskCtl.Get.class, TaskCtl.ListTasks.class, TaskCtl.Cancel.class,
                TaskCtl.Dlq.class, TaskCtl.ResetStuck.class, TaskCtl.Lag.class, TaskCtl.Keys.class,
                AutoComplete.GenerateCompletion.class})
public final class TaskCtl {

    @Option(names = "--api-url", description = "api-server base URL (env TASKCTL_API_URL, else API_URL of the "
            + "endpoints file, else " + Connection.DEFAULT_URL + ").", scope = CommandLine.ScopeType.INHERIT)
    String apiUrl;

    @Option(names = "--api-key", description = "API key or OAuth2 access token; prefer the environment, which other "
            + "users of this machine cannot read (env TASKCTL_API_KEY or API_KEY, else API_KEY of the endpoints file). "
            + "Audit records name its owner.", scope = CommandLine.ScopeType.INHERIT)
    String apiKey;

    @Option(names = "--endpoints-file", defaultValue = "${env:TASK_SCHEDULER_DATA:-local-data}/endpoints.env",
            description = "The dev launcher's endpoints file (default ${DEFAULT-VALUE}).",
            scope = CommandLine.ScopeType.INHERIT)
    Path endpointsFile;

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new TaskCtl());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ApiException || e instanceof CommandLine.ParameterException) {
                cmd.getErr().println("error: " + e.getMessage());
                return e instanceof ApiException ? 1 : 2;
            }
            throw e;
        });
        return commandLine.execute(args);
    }

    ApiClient client() {
        Connection connection = Connection.resolve(apiUrl, apiKey, endpointsFile, System::getenv);
        return new ApiClient(connection.apiUrl(), connection.apiKey());
    }

    void print(JsonNode json) {
        spec.commandLine().getOut().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
    }

    static void requireDuration(CommandLine.Model.CommandSpec spec, String option, String value) {
        if (value == null) {
            return;
        }
        try {
            Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    option + " must be an ISO-8601 duration such as PT30S, not '" + value + "'");
        }
    }

    static void requireInstant(CommandLine.Model.CommandSpec spec, String option, String value) {
        if (value == null) {
            return;
        }
        try {
            Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    option + " must be an ISO-8601 instant such as 2030-01-01T10:00:00Z, not '" + value + "'");
        }
    }

    @Command(name = "submit", description = "Submit a task.")
    static final class Submit implements Runnable {
        @ParentCommand TaskCtl root;
        @Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--type", required = true, description = "Task type.") String type;
        @Option(names = "--payload", description = "Payload as a JSON object.") String payload;
        @Option(names = "--run-at", description = "When to run (ISO-8601 with offset).") String runAt;
        @Option(names = "--delay", description = "Run after this ISO-8601 duration, e.g. PT30S.") String delay;
        @Option(names = "--max-retries", description = "Retries after the first attempt.") Integer maxRetries;
        @Option(names = "--timeout", description = "Attempt timeout, ISO-8601 duration.") String timeout;
        @Option(names = "--idempotency-key", description = "Makes resubmission safe.") String idempotencyKey;
        @Option(names = "--priority", description = "high, normal (default) or low.") String priority;

        @Override
        public void run() {
            requireDuration(spec, "--delay", delay);
            requireDuration(spec, "--timeout", timeout);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", type);
            if (payload != null) {
                try {
                    body.put("payload", Json.mapper().readTree(payload));
                } catch (RuntimeException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--payload is not valid JSON");
                }
            }
            body.put("runAt", runAt);
            body.put("delay", delay);
            body.put("maxRetries", maxRetries);
            body.put("timeout", timeout);
            body.put("priority", priority);
            Map<String, String> headers = idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey);
            root.print(root.client().post("/api/v1/tasks", body, headers));
        }
    }

    @Command(name = "get", description = "Show a task with its attempts.")
    static final class Get implements Runnable {
        @ParentCommand TaskCtl root;
        @Parameters(paramLabel = "TASK_ID") UUID id;

        @Override
        public void run() {
            root.print(root.client().get("/api/v1/tasks/" + id, Map.of()));
        }
    }

    @Command(name = "list", description = "List tasks, newest first.")
    static final class ListTasks implements Runnable {
        @ParentCommand TaskCtl root;
        @Option(names = "--status", description = "pending, running, succeeded, dead_letter or cancelled.") String status;
        @Option(names = "--type", description = "Task type.") String type;
        @Option(names = "--idempotency-key", description = "Only the task submitted with this key (on the topic: the record key).")
        String idempotencyKey;
        @Option(names = "--limit", defaultValue = "20", description = "At most this many (default ${DEFAULT-VALUE}).") int limit;

        @Override
        public void run() {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("status", status);
            query.put("type", type);
            query.put("idempotencyKey", idempotencyKey);
            query.put("limit", limit);
            JsonNode tasks = root.client().get("/api/v1/tasks", query);
            PrintWriter out = root.spec.commandLine().getOut();
            out.printf("%-36s  %-12s  %-20s  %7s  %s%n", "ID", "STATUS", "TYPE", "RETRIES", "RUN AT");
            for (JsonNode task : tasks) {
                out.printf("%-36s  %-12s  %-20s  %3d/%-3d  %s%n", task.path("id").asString(),
                        task.path("status").asString(), task.path("type").asString(), task.path("retryCount").asInt(),
                        task.path("maxRetries").asInt(), task.path("runAt").asString());
            }
        }
    }

    @Command(name = "cancel", description = "Cancel a pending task.")
    static final class Cancel implements Runnable {
        @ParentCommand TaskCtl root;
        @Parameters(paramLabel = "TASK_ID") UUID id;

        @Override
        public void run() {
            root.print(root.client().post("/api/v1/tasks/" + id + "/cancel", null, Map.of()));
        }
    }

    @Command(name = "dlq", description = "The dead-letter queue.", subcommands = {Dlq.ListDeadLetters.class, Dlq.Replay.class})
    static final class Dlq {
        @ParentCommand TaskCtl root;

        @Command(name = "list", description = "List dead-lettered tasks, oldest first.")
        static final class ListDeadLetters implements Runnable {
            @ParentCommand Dlq dlq;
            @Spec CommandLine.Model.CommandSpec spec;
            @CommandLine.Mixin DeadLetterFilterOptions filter;
            @Option(names = "--limit", defaultValue = "50") int limit;

            @Override
            public void run() {
                filter.validate(spec);
                Map<String, Object> query = new LinkedHashMap<>();
                query.put("type", filter.type);
                query.put("errorContains", filter.error);
                query.put("after", filter.after);
                query.put("before", filter.before);
                query.put("limit", limit);
                dlq.root.print(dlq.root.client().get("/api/v1/admin/dlq", query));
            }
        }

        @Command(name = "replay", description = "Replay dead-lettered tasks by id or by filter.")
        static final class Replay implements Runnable {
            @ParentCommand Dlq dlq;
            @Spec CommandLine.Model.CommandSpec spec;
            @Option(names = "--id", description = "Task id (repeatable).") List<UUID> ids;
            @CommandLine.Mixin DeadLetterFilterOptions filter;
            @Option(names = "--limit", description = "At most this many (server default 100).") Integer limit;
            @Option(names = "--rate", description = "Replayed tasks per second (server default 50).") Integer rate;
            @Option(names = "--dry-run", description = "Only count what would be replayed.") boolean dryRun;
            @Option(names = "--from-topic", description = "Replay records of the tasks.dlq topic whose task rows "
                    + "are gone, as new tasks (with --id and --limit).") boolean fromTopic;

            @Override
            public void run() {
                filter.validate(spec);
                if (fromTopic) {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("taskIds", ids);
                    body.put("limit", limit);
                    body.put("dryRun", dryRun);
                    dlq.root.print(dlq.root.client().post("/api/v1/admin/dlq/replay-from-topic", body, Map.of()));
                    return;
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("taskIds", ids);
                body.put("type", filter.type);
                body.put("errorContains", filter.error);
                body.put("deadLetteredAfter", filter.after);
                body.put("deadLetteredBefore", filter.before);
                body.put("limit", limit);
                body.put("ratePerSecond", rate);
                body.put("dryRun", dryRun);
                dlq.root.print(dlq.root.client().post("/api/v1/admin/dlq/replay", body, Map.of()));
            }
        }
    }

    /** The filter options shared by {@code dlq list} and {@code dlq replay}. */
    static final class DeadLetterFilterOptions {
        @Option(names = "--type", description = "Task type.") String type;
        @Option(names = "--error", description = "Last error contains this text.") String error;
        @Option(names = "--after", description = "Dead-lettered at or after (ISO-8601 instant).") String after;
        @Option(names = "--before", description = "Dead-lettered before (ISO-8601 instant).") String before;

        void validate(CommandLine.Model.CommandSpec spec) {
            requireInstant(spec, "--after", after);
            requireInstant(spec, "--before", before);
        }
    }

    @Command(name = "reset-stuck", description = "Put running tasks without progress back to pending (the runbook's reset).")
    static final class ResetStuck implements Runnable {
        @ParentCommand TaskCtl root;
        @Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--older-than", defaultValue = "PT30M", description = "No update for this long (default ${DEFAULT-VALUE}).")
        String olderThan;

        @Override
        public void run() {
            requireDuration(spec, "--older-than", olderThan);
            root.print(root.client().post("/api/v1/admin/stuck/reset?olderThan=" + olderThan, null, Map.of()));
        }
    }

    @Command(name = "lag", description = "Consumer lag of every consumer group of the system.")
    static final class Lag implements Runnable {
        @ParentCommand TaskCtl root;

        @Override
        public void run() {
            root.print(root.client().get("/api/v1/admin/lag", Map.of()));
        }
    }

    @Command(name = "keys", description = "API keys (needs an admin key).",
            subcommands = {Keys.Create.class, Keys.ListKeys.class, Keys.Revoke.class})
    static final class Keys {
        @ParentCommand TaskCtl root;

        @Command(name = "create", description = "Create an API key; prints it once, it cannot be shown again.")
        static final class Create implements Runnable {
            @ParentCommand Keys keys;
            @Option(names = "--name", required = true, description = "Unique name; audit records show key:<name>.")
            String name;
            @Option(names = "--scope", required = true, split = ",",
                    description = "Scopes: tasks:submit, tasks:read, tasks:manage, schedules:read, schedules:write, "
                            + "dlq:manage, admin (repeatable or comma-separated).")
            List<String> scopes;
            @Option(names = "--task-type", split = ",", description = "Only tasks of these types (default: every type).")
            List<String> taskTypes;
            @Option(names = "--expires-in", description = "ISO-8601 duration, e.g. P30D (server default 90 days).")
            String expiresIn;

            @Override
            public void run() {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("name", name);
                body.put("scopes", scopes);
                body.put("taskTypes", taskTypes);
                body.put("expiresIn", expiresIn);
                keys.root.print(keys.root.client().post("/api/v1/admin/keys", body, Map.of()));
            }
        }

        @Command(name = "list", description = "List API keys (never the keys themselves).")
        static final class ListKeys implements Runnable {
            @ParentCommand Keys keys;
            @Option(names = "--include-revoked", description = "Show revoked keys too.") boolean includeRevoked;

            @Override
            public void run() {
                JsonNode listed = keys.root.client().get("/api/v1/admin/keys", Map.of("includeRevoked", includeRevoked));
                PrintWriter out = keys.root.spec.commandLine().getOut();
                out.printf("%-36s  %-24s  %-12s  %-20s  %s%n", "ID", "NAME", "PREFIX", "EXPIRES", "SCOPES");
                for (JsonNode key : listed) {
                    out.printf("%-36s  %-24s  %-12s  %-20s  %s%s%n", key.path("id").asString(),
                            key.path("name").asString(), key.path("prefix").asString(),
                            key.path("revokedAt").isNull() ? key.path("expiresAt").asString("never") : "revoked",
                            String.join(",", key.path("scopes").valueStream().map(JsonNode::asString).toList()),
                            key.path("taskTypes").isNull() ? "" : " types=" + String.join(",",
                                    key.path("taskTypes").valueStream().map(JsonNode::asString).toList()));
                }
            }
        }

        @Command(name = "revoke", description = "Revoke an API key (within seconds on every api-server).")
        static final class Revoke implements Runnable {
            @ParentCommand Keys keys;
            @Parameters(paramLabel = "KEY_ID") UUID id;

            @Override
            public void run() {
                keys.root.print(keys.root.client().delete("/api/v1/admin/keys/" + id));
            }
        }
    }
}
