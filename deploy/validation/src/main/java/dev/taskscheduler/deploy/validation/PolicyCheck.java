package dev.taskscheduler.deploy.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's own rules for a rendered overlay, beyond what the schemas say: every container
 * has resources, probes (unless it runs to completion), a non-root, locked-down security context
 * and a pinned image; every reference between objects resolves.
 */
final class PolicyCheck {

    /** {@code $(NAME)} references that Kubernetes expands in env values, command and args. */
    private static final Pattern VARIABLE_REFERENCE = Pattern.compile("(?<!\\$)\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private final List<Manifest> all;
    private final List<String> problems = new ArrayList<>();

    private PolicyCheck(List<Manifest> all) {
        this.all = all;
    }

    static List<String> check(List<Manifest> all) {
        PolicyCheck check = new PolicyCheck(all);
        check.namespaces();
        for (Manifest m : all) {
            if (!m.podSpec().isMissingNode()) {
                check.pod(m);
            }
            check.references(m);
        }
        return check.problems;
    }

    private void namespaces() {
        List<String> declared = all.stream().filter(m -> "Namespace".equals(m.kind())).map(Manifest::name).toList();
        for (Manifest m : all) {
            if ("Namespace".equals(m.kind())) {
                continue;
            }
            if (m.namespace() == null) {
                problems.add(m.id() + ": no metadata.namespace");
            } else if (!declared.isEmpty() && !declared.contains(m.namespace())) {
                problems.add(m.id() + ": namespace " + m.namespace() + " is not the one declared " + declared);
            }
        }
    }

    // --- Pods --------------------------------------------------------------------------------------

    private void pod(Manifest m) {
        JsonNode pod = m.podSpec();
        for (String hostAccess : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (pod.path(hostAccess).asBoolean(false)) {
                problems.add(m.id() + ": " + hostAccess + " is not allowed");
            }
        }
        if (!m.containers().findAny().isPresent()) {
            problems.add(m.id() + ": pod template without containers");
        }
        Set<String> initContainers = new HashSet<>();
        pod.path("initContainers").forEach(c -> initContainers.add(c.path("name").asText()));
        m.containers().forEach(c -> container(m, pod, c, initContainers.contains(c.path("name").asText())));
        volumes(m, pod);
    }

    private void container(Manifest m, JsonNode pod, JsonNode c, boolean init) {
        String where = m.id() + " container " + c.path("name").asText();

        JsonNode resources = c.path("resources");
        for (String required : List.of("requests/cpu", "requests/memory", "limits/memory")) {
            if (resources.at("/" + required).asText("").isEmpty()) {
                problems.add(where + ": resources." + required.replace('/', '.') + " is not set");
            }
        }

        if (!init && !m.isOneShot()) {
            for (String probe : List.of("livenessProbe", "readinessProbe")) {
                if (!c.path(probe).isObject()) {
                    problems.add(where + ": no " + probe);
                }
            }
        }

        JsonNode podSecurity = pod.path("securityContext");
        JsonNode security = c.path("securityContext");
        boolean nonRoot = security.path("runAsNonRoot").asBoolean(podSecurity.path("runAsNonRoot").asBoolean(false));
        JsonNode user = security.has("runAsUser") ? security.path("runAsUser") : podSecurity.path("runAsUser");
        if (!nonRoot) {
            problems.add(where + ": runAsNonRoot is not true (a container must not run as root)");
        }
        if (user.isNumber() && user.asLong() == 0) {
            problems.add(where + ": runAsUser is 0 (root)");
        }
        if (security.path("allowPrivilegeEscalation").asBoolean(true)) {
            problems.add(where + ": allowPrivilegeEscalation is not false");
        }
        if (security.path("privileged").asBoolean(false)) {
            problems.add(where + ": privileged");
        }
        boolean dropsAll = false;
        for (JsonNode capability : security.path("capabilities").path("drop")) {
            dropsAll |= capability.asText().equals("ALL");
        }
        if (!dropsAll) {
            problems.add(where + ": capabilities.drop does not contain ALL");
        }
        if (security.path("capabilities").path("add").size() > 0) {
            problems.add(where + ": adds capabilities");
        }
        if (!security.path("readOnlyRootFilesystem").asBoolean(false)) {
            problems.add(where + ": readOnlyRootFilesystem is not true");
        }
        String seccomp = security.at("/seccompProfile/type").asText(podSecurity.at("/seccompProfile/type").asText(""));
        if (!seccomp.equals("RuntimeDefault") && !seccomp.equals("Localhost")) {
            problems.add(where + ": no seccompProfile RuntimeDefault (pod or container)");
        }

        image(where, c.path("image").asText(""));
        variables(where, c);
    }

    /** An image must name a version: a tag other than "latest", or a digest. */
    static String imageProblem(String image) {
        if (image.isEmpty()) {
            return "no image";
        }
        if (image.contains("@sha256:")) {
            return null;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon < 0 || colon < slash) {
            return "image " + image + " has no tag (pin a version)";
        }
        if (image.substring(colon + 1).equals("latest")) {
            return "image " + image + " uses the tag latest (pin a version)";
        }
        return null;
    }

    private void image(String where, String image) {
        String problem = imageProblem(image);
        if (problem != null) {
            problems.add(where + ": " + problem);
        }
    }

    /** Every $(NAME) in env values, command and args names a variable the container defines. */
    private void variables(String where, JsonNode c) {
        Set<String> defined = new HashSet<>();
        c.path("env").forEach(e -> defined.add(e.path("name").asText()));
        c.path("envFrom").forEach(source -> {
            String prefix = source.path("prefix").asText("");
            String name = source.path("configMapRef").path("name").asText(source.path("secretRef").path("name").asText(""));
            String kind = source.has("configMapRef") ? "ConfigMap" : "Secret";
            Manifest.find(all, kind, name).ifPresent(found -> {
                found.body().path("data").fieldNames().forEachRemaining(key -> defined.add(prefix + key));
                found.body().path("stringData").fieldNames().forEachRemaining(key -> defined.add(prefix + key));
            });
        });
        List<String> texts = new ArrayList<>();
        c.path("env").forEach(e -> texts.add(e.path("value").asText("")));
        c.path("command").forEach(a -> texts.add(a.asText()));
        c.path("args").forEach(a -> texts.add(a.asText()));
        for (String text : texts) {
            Matcher reference = VARIABLE_REFERENCE.matcher(text);
            while (reference.find()) {
                if (!defined.contains(reference.group(1))) {
                    problems.add(where + ": $(" + reference.group(1) + ") refers to no variable of the container");
                }
            }
        }
    }

    private void volumes(Manifest m, JsonNode pod) {
        Set<String> claimTemplates = new HashSet<>();
        m.at("/spec/volumeClaimTemplates").forEach(t -> claimTemplates.add(t.at("/metadata/name").asText()));
        Set<String> volumes = new HashSet<>(claimTemplates);
        for (JsonNode volume : pod.path("volumes")) {
            volumes.add(volume.path("name").asText());
            if (volume.has("configMap")) {
                exists(m.id(), "ConfigMap", volume.at("/configMap/name").asText());
            }
            if (volume.has("secret")) {
                exists(m.id(), "Secret", volume.at("/secret/secretName").asText());
            }
            if (volume.has("persistentVolumeClaim")) {
                String claim = volume.at("/persistentVolumeClaim/claimName").asText();
                if (!claimOfStatefulSet(claim)) {
                    exists(m.id(), "PersistentVolumeClaim", claim);
                }
            }
        }
        m.containers().forEach(c -> c.path("volumeMounts").forEach(mount -> {
            if (!volumes.contains(mount.path("name").asText())) {
                problems.add(m.id() + " container " + c.path("name").asText() + ": mounts unknown volume "
                        + mount.path("name").asText());
            }
        }));
    }

    /** {@code <template>-<statefulset>-<ordinal>}: a claim a StatefulSet of the overlay creates for one of its pods. */
    private boolean claimOfStatefulSet(String claim) {
        return all.stream().filter(m -> m.kind().equals("StatefulSet")).anyMatch(set -> {
            int replicas = set.at("/spec/replicas").asInt(1);
            return Manifest.stream(set.at("/spec/volumeClaimTemplates")).anyMatch(template -> {
                String prefix = template.at("/metadata/name").asText() + "-" + set.name() + "-";
                return claim.startsWith(prefix) && claim.substring(prefix.length()).matches("\\d+")
                        && Integer.parseInt(claim.substring(prefix.length())) < replicas;
            });
        });
    }

    // --- References between objects ---------------------------------------------------------------

    private void references(Manifest m) {
        m.containers().forEach(c -> {
            c.path("envFrom").forEach(source -> {
                if (source.has("configMapRef") && !source.at("/configMapRef/optional").asBoolean(false)) {
                    exists(m.id(), "ConfigMap", source.at("/configMapRef/name").asText());
                }
                if (source.has("secretRef") && !source.at("/secretRef/optional").asBoolean(false)) {
                    exists(m.id(), "Secret", source.at("/secretRef/name").asText());
                }
            });
            c.path("env").forEach(e -> {
                key(m.id(), "Secret", e.at("/valueFrom/secretKeyRef"));
                key(m.id(), "ConfigMap", e.at("/valueFrom/configMapKeyRef"));
            });
        });
        switch (m.kind()) {
            case "Service" -> {
                if (m.at("/spec/selector").isObject() && workloadsMatching(m.at("/spec/selector")).isEmpty()) {
                    problems.add(m.id() + ": selector matches no pod template");
                }
            }
            case "StatefulSet" -> {
                String service = m.at("/spec/serviceName").asText("");
                Manifest.find(all, "Service", service).ifPresentOrElse(s -> {
                    if (!"None".equals(s.at("/spec/clusterIP").asText())) {
                        problems.add(m.id() + ": serviceName " + service + " is not a headless Service");
                    }
                }, () -> problems.add(m.id() + ": serviceName " + service + " names no Service"));
            }
            case "HorizontalPodAutoscaler" -> {
                String kind = m.at("/spec/scaleTargetRef/kind").asText();
                String name = m.at("/spec/scaleTargetRef/name").asText();
                Manifest.find(all, kind, name).ifPresentOrElse(target -> {
                    if (target.at("/spec/replicas").isNumber()) {
                        problems.add(target.id() + ": sets spec.replicas although " + m.id()
                                + " scales it (every apply would reset the autoscaler's count)");
                    }
                }, () -> problems.add(m.id() + ": scaleTargetRef " + kind + "/" + name + " does not exist"));
            }
            case "PodDisruptionBudget" -> {
                if (workloadsMatching(m.at("/spec/selector/matchLabels")).isEmpty()) {
                    problems.add(m.id() + ": selector matches no pod template");
                }
            }
            case "ServiceMonitor" -> serviceMonitor(m);
            case "KafkaTopic", "KafkaNodePool", "KafkaUser" -> {
                String cluster = m.at("/metadata/labels").path("strimzi.io/cluster").asText("");
                if (Manifest.find(all, "Kafka", cluster).isEmpty()) {
                    problems.add(m.id() + ": label strimzi.io/cluster '" + cluster + "' names no Kafka");
                }
            }
            default -> { }
        }
    }

    private void serviceMonitor(Manifest m) {
        JsonNode selector = m.at("/spec/selector/matchLabels");
        List<Manifest> services = all.stream()
                .filter(s -> s.kind().equals("Service") && Manifest.matches(selector, s.at("/metadata/labels"))).toList();
        if (services.isEmpty()) {
            problems.add(m.id() + ": selector matches no Service");
        }
        m.at("/spec/endpoints").forEach(endpoint -> {
            String port = endpoint.path("port").asText("");
            boolean found = services.stream().anyMatch(s -> Manifest.stream(s.at("/spec/ports"))
                    .anyMatch(p -> p.path("name").asText().equals(port)));
            if (!services.isEmpty() && !found) {
                problems.add(m.id() + ": no selected Service has a port named '" + port + "'");
            }
        });
    }

    private List<Manifest> workloadsMatching(JsonNode matchLabels) {
        return all.stream().filter(w -> !w.podSpec().isMissingNode() && Manifest.matches(matchLabels, w.podLabels()))
                .toList();
    }

    /**
     * Secrets the Strimzi operators create: one per KafkaUser (named like it, keys password and
     * sasl.jaas.config) and the cluster CA certificate of each Kafka ({@code <cluster>-cluster-ca-cert}).
     */
    private boolean operatorSecret(String name, String key) {
        boolean userSecret = Manifest.find(all, "KafkaUser", name).isPresent()
                && (key == null || key.equals("password") || key.equals("sasl.jaas.config"));
        boolean caSecret = all.stream().anyMatch(k -> k.kind().equals("Kafka")
                && name.equals(k.name() + "-cluster-ca-cert")) && (key == null || key.equals("ca.crt"));
        return userSecret || caSecret;
    }

    private void exists(String where, String kind, String name) {
        if (kind.equals("Secret") && operatorSecret(name, null)) {
            return;
        }
        if (Manifest.find(all, kind, name).isEmpty()) {
            problems.add(where + ": refers to " + kind + " " + name + ", which is not in the overlay");
        }
    }

    private void key(String where, String kind, JsonNode ref) {
        if (ref.isMissingNode() || ref.path("optional").asBoolean(false)) {
            return;
        }
        String name = ref.path("name").asText();
        String key = ref.path("key").asText();
        if (kind.equals("Secret") && operatorSecret(name, key)) {
            return;
        }
        Manifest.find(all, kind, name).ifPresentOrElse(found -> {
            if (!found.body().path("data").has(key) && !found.body().path("stringData").has(key)) {
                problems.add(where + ": " + kind + " " + name + " has no key " + key);
            }
        }, () -> problems.add(where + ": refers to " + kind + " " + name + ", which is not in the overlay"));
    }
}
