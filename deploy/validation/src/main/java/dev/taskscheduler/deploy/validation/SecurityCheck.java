package dev.taskscheduler.deploy.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The security rules of a production overlay ({@code --secure}): Kafka listeners authenticate and
 * authorize; each service logs in as a KafkaUser of its own whose ACLs let it write only the topics
 * it owns; the external path to the API is TLS; the services reach PostgreSQL and Redis as users of
 * their own, not as the database owner or Redis's default user.
 */
final class SecurityCheck {

    private static final String RELAY = "outbox-relay";
    private static final String SCHEDULER = "scheduler";
    private static final String WORKER = "worker";
    private static final String API = "api-server";
    private static final List<String> SERVICES = List.of(API, RELAY, SCHEDULER, WORKER);

    /** Topic (a representative name for prefixed families) → the only users that may write it. */
    private static final Map<String, Set<String>> WRITERS = Map.ofEntries(
            Map.entry("task.events", Set.of(RELAY)),
            Map.entry("tasks.retry", Set.of(RELAY)),
            Map.entry("schedules.events", Set.of(RELAY)),
            Map.entry("outbox-relay.offsets", Set.of(RELAY)),
            Map.entry("tasks.dlq", Set.of(RELAY, WORKER)),
            Map.entry("tasks.ready.default", Set.of(SCHEDULER)),
            Map.entry("tasks.ready.default.high", Set.of(SCHEDULER)),
            Map.entry("tasks.ready.billing.low", Set.of(SCHEDULER)),
            Map.entry("task-scheduler-timers-timers-changelog", Set.of(SCHEDULER)),
            Map.entry("tasks.submissions.invalid", Set.of(API)));

    private final List<Manifest> all;
    private final List<String> problems = new ArrayList<>();

    private SecurityCheck(List<Manifest> all) {
        this.all = all;
    }

    static List<String> check(List<Manifest> all) {
        SecurityCheck check = new SecurityCheck(all);
        check.kafka();
        check.kafkaUsers();
        check.ingress();
        check.databaseRoles();
        check.redisUsers();
        return check.problems;
    }

    private void kafka() {
        for (Manifest kafka : of("Kafka")) {
            for (JsonNode listener : kafka.at("/spec/kafka/listeners")) {
                String name = listener.path("name").asText();
                if (!listener.path("tls").asBoolean(false)) {
                    problems.add(kafka.id() + ": listener " + name + " is not TLS");
                }
                if (listener.path("authentication").path("type").asText("").isEmpty()) {
                    problems.add(kafka.id() + ": listener " + name + " has no authentication");
                }
            }
            if (kafka.at("/spec/kafka/authorization/type").asText("").isEmpty()) {
                problems.add(kafka.id() + ": no spec.kafka.authorization (every client could do everything)");
            }
        }
    }

    private void kafkaUsers() {
        Set<String> users = new HashSet<>();
        for (Manifest user : of("KafkaUser")) {
            users.add(user.name());
            for (JsonNode acl : user.at("/spec/authorization/acls")) {
                JsonNode resource = acl.path("resource");
                Set<String> operations = new HashSet<>();
                acl.path("operations").forEach(op -> operations.add(op.asText()));
                if (operations.contains("All")) {
                    problems.add(user.id() + ": ACL on " + resource.path("name").asText() + " grants All");
                }
                if (!"topic".equals(resource.path("type").asText()) || !operations.contains("Write")) {
                    continue;
                }
                WRITERS.forEach((topic, writers) -> {
                    if (covers(resource, topic) && !writers.contains(user.name())) {
                        problems.add(user.id() + " may write " + topic + ", which only " + writers + " may");
                    }
                });
                if (covers(resource, "tasks.submissions") && Set.of(API, RELAY, WORKER).contains(user.name())) {
                    problems.add(user.id() + " may write tasks.submissions, which only the scheduler and outside "
                            + "producers may");
                }
            }
        }
        for (String service : SERVICES) {
            Manifest workload = all.stream().filter(m -> m.name().equals(service) && !m.podSpec().isMissingNode())
                    .findFirst().orElse(null);
            if (workload == null) {
                continue;
            }
            String secret = workload.containers().filter(c -> c.path("name").asText().equals(service))
                    .flatMap(c -> Manifest.stream(c.path("env")))
                    .filter(e -> e.path("name").asText().equals("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG"))
                    .map(e -> e.at("/valueFrom/secretKeyRef/name").asText(null))
                    .findFirst().orElse(null);
            if (secret == null) {
                problems.add(workload.id() + ": no Kafka credentials (SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG from "
                        + "its KafkaUser's Secret)");
            } else if (!secret.equals(service) || !users.contains(secret)) {
                problems.add(workload.id() + ": logs in to Kafka as '" + secret + "', not as its own KafkaUser "
                        + service);
            }
        }
    }

    /** Whether an ACL resource (literal, prefix, or the literal wildcard) covers the topic. */
    private static boolean covers(JsonNode resource, String topic) {
        String name = resource.path("name").asText();
        return "prefix".equals(resource.path("patternType").asText("literal"))
                ? topic.startsWith(name) : name.equals("*") || name.equals(topic);
    }

    private void ingress() {
        List<Manifest> ingresses = of("Ingress");
        if (ingresses.stream().noneMatch(i -> i.at("/spec/rules").toString().contains("\"api-server\""))) {
            problems.add("no Ingress leads to the api-server (the API's external path, with TLS)");
        }
        for (Manifest ingress : ingresses) {
            Set<String> tlsHosts = new HashSet<>();
            ingress.at("/spec/tls").forEach(tls -> tls.path("hosts").forEach(h -> tlsHosts.add(h.asText())));
            if (tlsHosts.isEmpty()) {
                problems.add(ingress.id() + " has no TLS");
            }
            for (JsonNode rule : ingress.at("/spec/rules")) {
                String host = rule.path("host").asText("");
                if (host.isEmpty() || !tlsHosts.contains(host)) {
                    problems.add(ingress.id() + ": host '" + host + "' is not covered by its TLS");
                }
            }
        }
    }

    /** The services log in with roles of their own (Secret db-service-credentials), not the owner's. */
    private void databaseRoles() {
        for (String service : List.of(API, RELAY, WORKER)) {
            all.stream().filter(m -> m.name().equals(service) && !m.podSpec().isMissingNode()).findFirst()
                    .ifPresent(workload -> workload.containers()
                            .filter(c -> c.path("name").asText().equals(service))
                            .flatMap(c -> Manifest.stream(c.path("env")))
                            .filter(e -> e.path("name").asText().equals("SPRING_DATASOURCE_USERNAME"))
                            .forEach(e -> {
                                String secret = e.at("/valueFrom/secretKeyRef/name").asText("");
                                if (!secret.equals("db-service-credentials")) {
                                    problems.add(workload.id() + ": connects to PostgreSQL as "
                                            + (secret.isEmpty() ? "'" + e.path("value").asText() + "'"
                                            : "the user of Secret " + secret)
                                            + ", not with its own role from db-service-credentials");
                                }
                            }));
        }
    }

    /** The api-server and the workers log in to Redis as their own users (redis/service-users.acl). */
    private void redisUsers() {
        for (String service : List.of(API, WORKER)) {
            all.stream().filter(m -> m.name().equals(service) && !m.podSpec().isMissingNode()).findFirst()
                    .ifPresent(workload -> workload.containers()
                            .filter(c -> c.path("name").asText().equals(service))
                            .flatMap(c -> Manifest.stream(c.path("env")))
                            .filter(e -> e.path("name").asText().equals("SPRING_DATA_REDIS_URL"))
                            .forEach(e -> {
                                if (!e.path("value").asText("").startsWith("redis://" + service + ":")
                                        && !e.path("value").asText("").startsWith("rediss://" + service + ":")) {
                                    problems.add(workload.id() + ": logs in to Redis as '"
                                            + e.path("value").asText().replaceFirst("^rediss?://([^:@]*).*", "$1")
                                            + "', not as its own Redis user " + service);
                                }
                            }));
        }
    }

    private List<Manifest> of(String kind) {
        return all.stream().filter(m -> kind.equals(m.kind())).toList();
    }
}
