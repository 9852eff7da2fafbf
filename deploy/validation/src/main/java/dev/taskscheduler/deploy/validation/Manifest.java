package dev.taskscheduler.deploy.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** One object of a rendered overlay (kubectl kustomize output). */
record Manifest(String apiVersion, String kind, String name, String namespace, ObjectNode body) {

    static final YAMLMapper YAML = new YAMLMapper();

    /** Reads a multi-document YAML file; empty documents are skipped. */
    static List<Manifest> load(Path file) throws IOException {
        List<Manifest> manifests = new ArrayList<>();
        try (var parser = YAML.createParser(file.toFile())) {
            var documents = YAML.readValues(parser, JsonNode.class);
            while (documents.hasNext()) {
                JsonNode doc = documents.next();
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                if (!doc.isObject()) {
                    throw new IOException(file + ": a document is not a YAML mapping");
                }
                manifests.add(new Manifest(doc.path("apiVersion").asText(null), doc.path("kind").asText(null),
                        doc.path("metadata").path("name").asText(null),
                        doc.path("metadata").path("namespace").asText(null), (ObjectNode) doc));
            }
        }
        return manifests;
    }

    String id() {
        return kind + "/" + name;
    }

    /** API group: "" for the core group, e.g. "apps", "kafka.strimzi.io". */
    String group() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    String version() {
        return apiVersion.substring(apiVersion.indexOf('/') + 1);
    }

    JsonNode at(String pointer) {
        return body.at(pointer);
    }

    /** The pod template of a workload (or a Pod's own spec); MissingNode for anything else. */
    JsonNode podSpec() {
        return switch (kind) {
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> at("/spec/template/spec");
            case "CronJob" -> at("/spec/jobTemplate/spec/template/spec");
            case "Pod" -> at("/spec");
            default -> MissingNode.getInstance();
        };
    }

    JsonNode podLabels() {
        return switch (kind) {
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> at("/spec/template/metadata/labels");
            case "CronJob" -> at("/spec/jobTemplate/spec/template/metadata/labels");
            case "Pod" -> at("/metadata/labels");
            default -> MissingNode.getInstance();
        };
    }

    /** Runs to completion (its containers need no liveness/readiness probes). */
    boolean isOneShot() {
        return kind.equals("Job") || kind.equals("CronJob");
    }

    /** Containers and init containers of the pod template. */
    Stream<JsonNode> containers() {
        JsonNode spec = podSpec();
        return Stream.concat(stream(spec.path("initContainers")), stream(spec.path("containers")));
    }

    static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items.stream();
    }

    static Optional<Manifest> find(List<Manifest> all, String kind, String name) {
        return all.stream().filter(m -> kind.equals(m.kind()) && name.equals(m.name())).findFirst();
    }

    /** True when every label of the selector is among the labels. */
    static boolean matches(JsonNode matchLabels, JsonNode labels) {
        if (!matchLabels.isObject() || matchLabels.isEmpty()) {
            return false;
        }
        var fields = matchLabels.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (!field.getValue().asText().equals(labels.path(field.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }
}
