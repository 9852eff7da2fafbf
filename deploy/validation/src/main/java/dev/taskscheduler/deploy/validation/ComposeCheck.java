package dev.taskscheduler.deploy.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks docker-compose.yml without a Docker engine: its structure (services, build files,
 * dependencies, pinned images, health checks), that the four services run as locked down as in
 * Kubernetes, and that it mirrors the Kubernetes configuration: every environment variable a
 * service gets in the rendered development overlay is set in Compose too, with the same value
 * unless it carries a credential, and every declared topic is created.
 */
final class ComposeCheck {

    /** The four services: built from deploy/images, locked down, configured like Kubernetes. */
    static final Map<String, String> SERVICES = Map.of("api-server", "Deployment", "outbox-relay", "Deployment",
            "scheduler", "StatefulSet", "worker", "Deployment");
    /** Infrastructure that runs the same image and configuration as its Kubernetes StatefulSet. */
    private static final Set<String> MIRRORED_INFRASTRUCTURE = Set.of("postgres", "redis");
    private static final Set<String> INFRASTRUCTURE = Set.of("kafka", "postgres", "redis", "prometheus");
    private static final Set<String> CONDITIONS = Set.of("service_started", "service_healthy",
            "service_completed_successfully");

    private final JsonNode compose;
    private final List<Manifest> reference;
    private final Path root;
    private final List<String> problems = new ArrayList<>();

    private ComposeCheck(JsonNode compose, List<Manifest> reference, Path root) {
        this.compose = compose;
        this.reference = reference;
        this.root = root;
    }

    static List<String> check(Path composeFile, List<Manifest> reference, Path root) throws IOException {
        ComposeCheck check = new ComposeCheck(Manifest.YAML.readTree(composeFile.toFile()), reference, root);
        check.run();
        return check.problems;
    }

    private void run() {
        JsonNode services = compose.path("services");
        for (String required : union(INFRASTRUCTURE, SERVICES.keySet())) {
            if (!services.has(required)) {
                problems.add("service " + required + " is missing");
            }
        }
        services.fields().forEachRemaining(entry -> service(entry.getKey(), entry.getValue(), services));
        SERVICES.forEach((service, kind) -> {
            if (services.has(service)) {
                application(service, services.get(service));
                mirror(service, kind, services.get(service));
            }
        });
        for (String service : MIRRORED_INFRASTRUCTURE) {
            if (services.has(service)) {
                mirror(service, "StatefulSet", services.get(service));
            }
        }
        topics(services);
        prometheus(services.path("prometheus"));
    }

    private void service(String name, JsonNode service, JsonNode services) {
        if (service.has("image")) {
            String problem = PolicyCheck.imageProblem(service.path("image").asText());
            if (problem != null && !service.has("build")) {
                problems.add(name + ": " + problem);
            }
        }
        if (service.has("build")) {
            String context = service.at("/build/context").asText(".");
            String dockerfile = service.at("/build/dockerfile").asText("Dockerfile");
            if (!Files.isRegularFile(root.resolve(context).resolve(dockerfile).normalize())) {
                problems.add(name + ": build file " + context + "/" + dockerfile + " does not exist");
            }
        }
        // Published ports bind to the loopback interface only: a laptop's Compose stack (its Kafka,
        // PostgreSQL and Redis with development passwords) must not be reachable from the network.
        service.path("ports").forEach(port -> {
            String published = port.isObject() ? port.path("host_ip").asText("") + ":" + port.path("published").asText()
                    : port.asText();
            if (!published.startsWith("127.0.0.1:")) {
                problems.add(name + ": port " + published + " is not published on 127.0.0.1 only");
            }
        });
        JsonNode dependsOn = service.path("depends_on");
        dependsOn.fieldNames().forEachRemaining(dependency -> {
            if (!services.has(dependency)) {
                problems.add(name + ": depends on unknown service " + dependency);
                return;
            }
            String condition = dependsOn.path(dependency).path("condition").asText("service_started");
            if (!CONDITIONS.contains(condition)) {
                problems.add(name + ": unknown depends_on condition " + condition);
            }
            if (condition.equals("service_healthy") && !services.path(dependency).has("healthcheck")) {
                problems.add(name + ": waits for " + dependency + " to be healthy, which has no healthcheck");
            }
        });
    }

    /** One of the four services: built from its Dockerfile, locked down like its pod. */
    private void application(String name, JsonNode service) {
        if (!service.at("/build/dockerfile").asText("").endsWith("deploy/images/" + name + "/Dockerfile")) {
            problems.add(name + ": must be built from deploy/images/" + name + "/Dockerfile");
        }
        if (!service.has("healthcheck")) {
            problems.add(name + ": no healthcheck");
        }
        if (!service.path("read_only").asBoolean(false)) {
            problems.add(name + ": read_only is not true (the root filesystem is read-only in Kubernetes too)");
        }
        String user = service.path("user").asText("");
        if (user.isEmpty() || user.startsWith("0") || user.startsWith("root")) {
            problems.add(name + ": must run as a non-root user");
        }
        if (!service.path("cap_drop").toString().contains("ALL")) {
            problems.add(name + ": cap_drop does not contain ALL");
        }
        if (!service.path("security_opt").toString().contains("no-new-privileges:true")) {
            problems.add(name + ": security_opt lacks no-new-privileges:true");
        }
        String port = environment(service.path("environment")).get("SERVER_PORT");
        if (port != null && !service.path("healthcheck").toString().contains(port)) {
            problems.add(name + ": the healthcheck does not probe SERVER_PORT " + port);
        }
    }

    /** Same environment, server arguments and memory limit as the Kubernetes container. */
    private void mirror(String name, String kind, JsonNode service) {
        Manifest workload = Manifest.find(reference, kind, name).orElse(null);
        if (workload == null) {
            problems.add(name + ": no " + kind + " " + name + " in the Kubernetes reference");
            return;
        }
        Map<String, String> env = environment(service.path("environment"));
        Map<String, String> kubernetes = kubernetesEnvironment(workload, name);
        kubernetes.forEach((key, value) -> {
            if (!env.containsKey(key)) {
                problems.add(name + ": " + key + " is set in Kubernetes but not in Compose");
            } else if (value != null && !value.equals(env.get(key))) {
                problems.add(name + ": " + key + " is '" + env.get(key) + "' in Compose but '" + value
                        + "' in Kubernetes");
            }
        });

        JsonNode container = RunbookCheck.container(workload, name);
        List<String> settings = serverSettings(Manifest.stream(container.path("args")).map(JsonNode::asText).toList());
        if (!settings.isEmpty()) {
            List<String> resolved = settings.stream().map(setting -> resolve(setting, kubernetes)).toList();
            List<String> compose = serverSettings(Manifest.stream(service.path("command")).map(JsonNode::asText).toList());
            if (!resolved.equals(compose)) {
                problems.add(name + ": server settings " + compose + " in Compose, " + resolved + " in Kubernetes");
            }
        }

        String limit = container.at("/resources/limits/memory").asText("");
        String memLimit = service.path("mem_limit").asText("");
        if (!limit.isEmpty() && bytes(memLimit) != new io.kubernetes.client.custom.Quantity(limit).getNumber().longValue()) {
            problems.add(name + ": mem_limit '" + memLimit + "' differs from the Kubernetes memory limit " + limit);
        }
    }

    /** The values of "-c" arguments (PostgreSQL server settings). */
    private static List<String> serverSettings(List<String> args) {
        List<String> settings = new ArrayList<>();
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals("-c")) {
                settings.add(args.get(i + 1));
            }
        }
        return settings;
    }

    private static String resolve(String text, Map<String, String> env) {
        String resolved = text;
        for (var e : env.entrySet()) {
            if (e.getValue() != null) {
                resolved = resolved.replace("$(" + e.getKey() + ")", e.getValue());
            }
        }
        return resolved;
    }

    /** Compose's byte values: a number with an optional b, k, m or g suffix (binary multiples). */
    private static long bytes(String value) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([bkmg]?)").matcher(value.toLowerCase());
        if (!m.matches()) {
            return -1;
        }
        long number = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "k" -> number << 10;
            case "m" -> number << 20;
            case "g" -> number << 30;
            default -> number;
        };
    }

    /**
     * The variables of the workload's main container; the value is null where it comes from a
     * Secret or refers to other variables (credentials differ between the two on purpose).
     */
    private Map<String, String> kubernetesEnvironment(Manifest workload, String container) {
        Map<String, String> env = new HashMap<>();
        JsonNode main = RunbookCheck.container(workload, container);
        main.path("envFrom").forEach(source -> Manifest.find(reference, "ConfigMap",
                source.at("/configMapRef/name").asText()).ifPresent(configMap ->
                configMap.body().path("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()))));
        main.path("env").forEach(e -> {
            String value = e.path("value").asText(null);
            env.put(e.path("name").asText(), value == null || value.contains("$(") ? null : value);
        });
        return env;
    }

    private static Map<String, String> environment(JsonNode environment) {
        Map<String, String> env = new HashMap<>();
        if (environment.isObject()) {
            environment.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        } else {
            environment.forEach(item -> {
                String text = item.asText();
                int equals = text.indexOf('=');
                env.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? null : text.substring(equals + 1));
            });
        }
        return env;
    }

    /**
     * Every topic declared for Kubernetes is created by the Compose topic initialiser too, with
     * the same partitions and settings (replication is 1 on the single Compose broker).
     */
    private void topics(JsonNode services) {
        List<String> lines = new ArrayList<>();
        services.forEach(service -> Manifest.stream(service.path("command"))
                .forEach(c -> lines.addAll(List.of(c.asText().split("\n")))));
        reference.stream().filter(m -> "KafkaTopic".equals(m.kind())).forEach(topic -> {
            String name = topic.at("/spec/topicName").asText(topic.name());
            String expected = "create_topic " + name + " " + topic.at("/spec/partitions").asText();
            String line = lines.stream().map(String::trim).filter(l -> l.startsWith(expected + " ") || l.equals(expected))
                    .findFirst().orElse(null);
            if (line == null) {
                problems.add("topic " + name + " with " + topic.at("/spec/partitions").asText()
                        + " partitions is declared for Kubernetes but not created so in Compose");
                return;
            }
            List<String> words = List.of(line.split("\\s+"));
            topic.at("/spec/config").fields().forEachRemaining(config -> {
                if (!config.getKey().equals("min.insync.replicas")
                        && !words.contains(config.getKey() + "=" + config.getValue().asText())) {
                    problems.add("topic " + name + ": " + config.getKey() + "=" + config.getValue().asText()
                            + " is not set in Compose");
                }
            });
        });
    }

    private void prometheus(JsonNode prometheus) {
        String config = null;
        for (JsonNode volume : prometheus.path("volumes")) {
            String[] parts = volume.asText().split(":");
            if (parts.length >= 2 && parts[1].endsWith("prometheus.yml")) {
                config = parts[0];
            }
        }
        if (config == null) {
            problems.add("prometheus: no prometheus.yml mounted");
            return;
        }
        prometheusConfig(config);
    }

    private void prometheusConfig(String config) {
        try {
            String text = Files.readString(root.resolve(config).normalize());
            SERVICES.keySet().forEach(service -> {
                String port = environment(compose.at("/services/" + service + "/environment"))
                        .get("MANAGEMENT_SERVER_PORT");
                if (port == null) {
                    problems.add(service + ": no MANAGEMENT_SERVER_PORT (the actuator's own port)");
                } else if (!text.contains(service + ":" + port)) {
                    problems.add("prometheus: " + config + " does not scrape " + service + ":" + port
                            + " (its MANAGEMENT_SERVER_PORT)");
                }
            });
            if (!text.contains("/actuator/prometheus")) {
                problems.add("prometheus: " + config + " does not use metrics_path /actuator/prometheus");
            }
        } catch (IOException e) {
            problems.add("prometheus: cannot read " + config + ": " + e.getMessage());
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> union = new java.util.TreeSet<>(a);
        union.addAll(b);
        return union;
    }
}
