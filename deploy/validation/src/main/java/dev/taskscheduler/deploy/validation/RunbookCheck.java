package dev.taskscheduler.deploy.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubernetes.client.custom.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the operators' runbook relies on, checked against the production overlay: the objects it
 * names (exactly those names), the figures it starts from, and how credentials reach the pods.
 */
final class RunbookCheck {

    static final String NAMESPACE = "task-scheduler";
    /** The runbook's vertical scaling procedure starts from these api-server figures. */
    private static final Map<String, String> API_SERVER_RESOURCES = Map.of(
            "requests/memory", "256Mi", "requests/cpu", "200m", "limits/memory", "512Mi", "limits/cpu", "500m");
    /** The runbook scales the workers to this many replicas. */
    private static final int RUNBOOK_WORKER_REPLICAS = 15;
    private static final List<String> TOPICS = List.of("tasks.submissions", "tasks.submissions.invalid",
            "task.events", "tasks.ready.default", "tasks.dlq", "tasks.retry", "outbox-relay.offsets");
    private static final Map<String, String> RUNBOOK_ALERTS = Map.of(
            "HighErrorRate", "rate(api_errors_total[5m]) / rate(api_requests_total[5m]) > 0.01",
            "QueueGrowing", "task_queue_size > 100 and rate(task_queue_size[10m]) > 0");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\((\\w+)\\)");
    private static final Pattern POSTGRES_DURATION = Pattern.compile("\\s*(\\d+)\\s*(s|min|h|d)?\\s*");

    private final List<Manifest> all;
    private final List<String> problems = new ArrayList<>();

    private RunbookCheck(List<Manifest> all) {
        this.all = all;
    }

    static List<String> check(List<Manifest> all) {
        RunbookCheck check = new RunbookCheck(all);
        check.run();
        return check.problems;
    }

    private void run() {
        require("Namespace", NAMESPACE);
        postgres();
        apiServer();
        workers();
        require("StatefulSet", "scheduler");
        require("Deployment", "outbox-relay");
        secrets();
        dbPolicy();
        images();
        topics();
        alerts();
    }

    private void postgres() {
        require("StatefulSet", "postgres").ifPresent(postgres -> {
            if (postgres.at("/spec/replicas").asInt(1) < 1) {
                problems.add("StatefulSet/postgres: needs a replica for pod postgres-0");
            }
            JsonNode container = container(postgres, "postgres");
            if (!"taskdb".equals(env(container, "POSTGRES_DB"))) {
                problems.add("StatefulSet/postgres: POSTGRES_DB must be taskdb");
            }
            if (!secretRef(container, "POSTGRES_USER", "db-credentials", "DB_USER")) {
                problems.add("StatefulSet/postgres: POSTGRES_USER must come from db-credentials DB_USER");
            }
            String pgdata = env(container, "PGDATA");
            if (!"/var/lib/postgresql/data".equals(pgdata)) {
                problems.add("StatefulSet/postgres: PGDATA must be /var/lib/postgresql/data (the runbook edits "
                        + "/var/lib/postgresql/data/postgresql.conf), is " + pgdata);
            }
            String args = String.join(" ", Manifest.stream(container.path("args")).map(JsonNode::asText).toList());
            for (String setting : List.of("wal_level=logical", "synchronous_commit=on", "max_replication_slots=",
                    "max_wal_senders=", "max_slot_wal_keep_size=", "archive_mode=on",
                    "archive_command=pgbackrest ")) {
                if (!args.contains(setting)) {
                    problems.add("StatefulSet/postgres: the server arguments lack " + setting);
                }
            }
            archiveTimeout(postgres, container);
        });
        require("PersistentVolumeClaim", "pgbackrest-repo");
        require("Service", "postgres").ifPresent(service -> {
            if (!"postgres".equals(service.at("/spec/selector/app.kubernetes.io~1name").asText())) {
                problems.add("Service/postgres: must select the postgres pods");
            }
        });
    }

    /** The runbook's hourly transaction-log backup: a WAL segment is archived at least once an hour. */
    private void archiveTimeout(Manifest postgres, JsonNode container) {
        String setting = Manifest.stream(container.path("args")).map(JsonNode::asText)
                .filter(arg -> arg.startsWith("archive_timeout=")).findFirst().orElse(null);
        if (setting == null) {
            problems.add("StatefulSet/postgres: the server arguments lack archive_timeout= (the runbook's hourly "
                    + "transaction-log backup)");
            return;
        }
        String value = setting.substring("archive_timeout=".length());
        Matcher reference = VARIABLE.matcher(value);
        if (reference.matches()) {
            value = Manifest.stream(container.path("envFrom"))
                    .map(source -> Manifest.find(all, "ConfigMap", source.at("/configMapRef/name").asText()))
                    .flatMap(Optional::stream)
                    .map(configMap -> configMap.body().path("data").path(reference.group(1)).asText(null))
                    .filter(Objects::nonNull).findFirst().orElse(value);
        }
        long seconds = postgresSeconds(value);
        if (seconds <= 0 || seconds > 3600) {
            problems.add(postgres.id() + ": archive_timeout is " + value + "; the runbook's hourly transaction-log "
                    + "backup needs a value between 1s and 1h");
        }
    }

    /** A PostgreSQL time setting in seconds (units s, min, h, d; a bare number is seconds); -1 if unreadable. */
    static long postgresSeconds(String value) {
        Matcher m = POSTGRES_DURATION.matcher(value);
        if (!m.matches()) {
            return -1;
        }
        long number = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "min" -> number * 60;
            case "h" -> number * 3600;
            case "d" -> number * 86400;
            default -> number;
        };
    }

    private void apiServer() {
        require("Deployment", "api-server").ifPresent(api -> {
            JsonNode resources = container(api, "api-server").path("resources");
            API_SERVER_RESOURCES.forEach((path, expected) -> {
                String actual = resources.at("/" + path).asText("");
                if (!sameQuantity(actual, expected)) {
                    problems.add("Deployment/api-server: resources." + path.replace('/', '.') + " is " + actual
                            + ", the runbook's figure is " + expected);
                }
            });
        });
    }

    private void workers() {
        require("Deployment", "worker");
        require("HorizontalPodAutoscaler", "worker-hpa").ifPresent(hpa -> {
            if (!"Deployment".equals(hpa.at("/spec/scaleTargetRef/kind").asText())
                    || !"worker".equals(hpa.at("/spec/scaleTargetRef/name").asText())) {
                problems.add("HorizontalPodAutoscaler/worker-hpa: must scale Deployment worker");
            }
            int min = hpa.at("/spec/minReplicas").asInt(1);
            int max = hpa.at("/spec/maxReplicas").asInt(0);
            if (RUNBOOK_WORKER_REPLICAS < min || RUNBOOK_WORKER_REPLICAS > max) {
                problems.add("HorizontalPodAutoscaler/worker-hpa: the runbook scales to " + RUNBOOK_WORKER_REPLICAS
                        + " workers, outside minReplicas..maxReplicas " + min + ".." + max);
            }
        });
    }

    private void secrets() {
        secretKeys("db-credentials", Set.of("DB_USER", "DB_PASSWORD"));
        secretKeys("redis-credentials", Set.of("REDIS_PASSWORD"));
        secretKeys("db-service-credentials", Set.of("API_SERVER_DB_USER", "API_SERVER_DB_PASSWORD",
                "OUTBOX_RELAY_DB_USER", "OUTBOX_RELAY_DB_PASSWORD", "WORKER_DB_USER", "WORKER_DB_PASSWORD"));
        // The rotation procedure restarts these and relies on them reading their role's Secret at start.
        for (String[] workload : new String[][] {{"Deployment", "api-server", "API_SERVER"},
                {"Deployment", "worker", "WORKER"}, {"Deployment", "outbox-relay", "OUTBOX_RELAY"}}) {
            Manifest.find(all, workload[0], workload[1]).ifPresent(m -> {
                JsonNode container = container(m, workload[1]);
                String prefix = workload[2];
                if (!secretRef(container, "SPRING_DATASOURCE_USERNAME", "db-service-credentials", prefix + "_DB_USER")
                        || !secretRef(container, "SPRING_DATASOURCE_PASSWORD", "db-service-credentials",
                        prefix + "_DB_PASSWORD")) {
                    problems.add(m.id() + ": SPRING_DATASOURCE_USERNAME/PASSWORD must come from db-service-credentials "
                            + prefix + "_DB_USER/" + prefix + "_DB_PASSWORD (secretKeyRef)");
                }
            });
        }
    }

    private void secretKeys(String name, Set<String> keys) {
        require("Secret", name).ifPresent(secret -> {
            Set<String> actual = new TreeSet<>();
            secret.body().path("data").fieldNames().forEachRemaining(actual::add);
            secret.body().path("stringData").fieldNames().forEachRemaining(actual::add);
            if (!actual.equals(new TreeSet<>(keys))) {
                problems.add("Secret/" + name + ": keys are " + actual + ", the runbook writes " + new TreeSet<>(keys));
            }
        });
    }

    private void dbPolicy() {
        require("NetworkPolicy", "db-policy").ifPresent(policy -> {
            if (!"postgres".equals(policy.at("/spec/podSelector/matchLabels/app.kubernetes.io~1name").asText())) {
                problems.add("NetworkPolicy/db-policy: must select the postgres pods");
            }
            Set<String> clients = new TreeSet<>();
            policy.at("/spec/ingress").forEach(rule -> {
                rule.path("from").forEach(peer -> clients.add(
                        peer.at("/podSelector/matchLabels/app.kubernetes.io~1name").asText("(not a pod of ours)")));
                boolean only5432 = rule.path("ports").size() > 0;
                for (JsonNode port : rule.path("ports")) {
                    only5432 &= port.path("port").asInt() == 5432;
                }
                if (!only5432) {
                    problems.add("NetworkPolicy/db-policy: ingress must be limited to port 5432");
                }
            });
            Set<String> expected = new TreeSet<>(Set.of("api-server", "worker", "outbox-relay", "postgres-backup"));
            if (!clients.equals(expected)) {
                problems.add("NetworkPolicy/db-policy: admits " + clients + ", expected exactly " + expected);
            }
        });
    }

    /** The runbook scans ${REGISTRY_HOST}/task-scheduler/<service>. */
    private void images() {
        Map<String, String> workloads = Map.of("api-server", "Deployment", "worker", "Deployment",
                "outbox-relay", "Deployment", "scheduler", "StatefulSet");
        workloads.forEach((service, kind) -> Manifest.find(all, kind, service).ifPresent(m -> {
            String image = container(m, service).path("image").asText("");
            if (!image.matches("[^/]+/task-scheduler/" + service + "[:@].+")) {
                problems.add(m.id() + ": image " + image + " is not ${REGISTRY_HOST}/task-scheduler/" + service);
            }
        }));
    }

    private void topics() {
        for (String topic : TOPICS) {
            boolean declared = all.stream().anyMatch(m -> "KafkaTopic".equals(m.kind())
                    && topic.equals(m.at("/spec/topicName").asText(m.name())));
            if (!declared) {
                problems.add("KafkaTopic " + topic + " is not declared");
            }
        }
        // The scheduler reads both into one timer processor: partition n of each must be the same task.
        int events = partitions("task.events");
        int retries = partitions("tasks.retry");
        if (events != retries) {
            problems.add("KafkaTopic tasks.retry has " + retries + " partitions, task.events " + events
                    + ": the scheduler needs them co-partitioned (equal counts)");
        }
        all.stream().filter(m -> "KafkaTopic".equals(m.kind())).forEach(topic -> {
            String name = topic.at("/spec/topicName").asText(topic.name());
            JsonNode config = topic.at("/spec/config");
            if (name.equals("tasks.dlq") && config.path("retention.ms").asLong(0) < 14L * 24 * 3600 * 1000) {
                problems.add(topic.id() + ": retention.ms must be at least 14 days");
            }
            if (name.equals("outbox-relay.offsets") && !config.path("cleanup.policy").asText().equals("compact")) {
                problems.add(topic.id() + ": must be compacted");
            }
        });
    }

    private int partitions(String topic) {
        return all.stream().filter(m -> "KafkaTopic".equals(m.kind())
                        && topic.equals(m.at("/spec/topicName").asText(m.name())))
                .mapToInt(m -> m.at("/spec/partitions").asInt(-1)).findFirst().orElse(-1);
    }

    private void alerts() {
        List<JsonNode> rules = new ArrayList<>();
        all.stream().filter(m -> "PrometheusRule".equals(m.kind()))
                .forEach(m -> m.at("/spec/groups").forEach(g -> g.path("rules").forEach(rules::add)));
        RUNBOOK_ALERTS.forEach((alert, expr) -> {
            boolean verbatim = rules.stream().anyMatch(r -> r.path("alert").asText().equals(alert)
                    && r.path("expr").asText().trim().equals(expr));
            if (!verbatim) {
                problems.add("PrometheusRule: alert " + alert + " with the runbook's expression is missing");
            }
        });
    }

    // --- helpers -------------------------------------------------------------------------------------

    private Optional<Manifest> require(String kind, String name) {
        Optional<Manifest> found = Manifest.find(all, kind, name);
        if (found.isEmpty()) {
            problems.add(kind + "/" + name + " is missing (the runbook uses this name)");
        } else if (!kind.equals("Namespace") && !NAMESPACE.equals(found.get().namespace())) {
            problems.add(kind + "/" + name + " is not in namespace " + NAMESPACE);
        }
        return found;
    }

    static JsonNode container(Manifest m, String name) {
        return Manifest.stream(m.podSpec().path("containers"))
                .filter(c -> name.equals(c.path("name").asText())).findFirst()
                .orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
    }

    static String env(JsonNode container, String name) {
        return Manifest.stream(container.path("env")).filter(e -> name.equals(e.path("name").asText()))
                .map(e -> e.path("value").asText(null)).findFirst().orElse(null);
    }

    private static boolean secretRef(JsonNode container, String env, String secret, String key) {
        return Manifest.stream(container.path("env")).anyMatch(e -> env.equals(e.path("name").asText())
                && secret.equals(e.at("/valueFrom/secretKeyRef/name").asText())
                && key.equals(e.at("/valueFrom/secretKeyRef/key").asText()));
    }

    private static boolean sameQuantity(String actual, String expected) {
        try {
            BigDecimal a = new Quantity(actual).getNumber();
            return a.compareTo(new Quantity(expected).getNumber()) == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
