package dev.taskscheduler.deploy.validation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.JSON;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks each object against the schema of its kind: required fields, types and unknown fields.
 *
 * <ul>
 *   <li>Kubernetes kinds: the Kubernetes 1.32 models of the official Java client, whose generated
 *       {@code validateJsonElement} rejects unknown and missing required fields, followed by a
 *       typed deserialisation (quantities, int-or-string, numbers).</li>
 *   <li>Strimzi (Kafka, KafkaNodePool, KafkaTopic, KafkaUser) and Prometheus Operator (ServiceMonitor,
 *       PodMonitor, PrometheusRule) kinds: their Java models, read strictly (an unknown property is
 *       an error instead of being kept aside), then every {@code @JsonProperty(required = true)}
 *       checked.</li>
 *   <li>KEDA ScaledObject: the top-level fields and the trigger shape, by hand.</li>
 * </ul>
 * Anything else is rejected: an object nobody can check is not deployed unchecked.
 */
final class SchemaCheck {

    private static final Set<String> KUBERNETES_GROUPS = Set.of("", "apps", "batch", "autoscaling", "policy",
            "networking.k8s.io", "rbac.authorization.k8s.io", "storage.k8s.io", "scheduling.k8s.io");

    private static final Map<String, String> TYPED_CUSTOM_RESOURCES = Map.of(
            "kafka.strimzi.io/Kafka", "io.strimzi.api.kafka.model.kafka.Kafka",
            "kafka.strimzi.io/KafkaNodePool", "io.strimzi.api.kafka.model.nodepool.KafkaNodePool",
            "kafka.strimzi.io/KafkaTopic", "io.strimzi.api.kafka.model.topic.KafkaTopic",
            "kafka.strimzi.io/KafkaUser", "io.strimzi.api.kafka.model.user.KafkaUser",
            "monitoring.coreos.com/ServiceMonitor", "io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor",
            "monitoring.coreos.com/PodMonitor", "io.fabric8.openshift.api.model.monitoring.v1.PodMonitor",
            "monitoring.coreos.com/PrometheusRule", "io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule");

    private static final Map<String, Set<String>> CUSTOM_RESOURCE_VERSIONS = Map.of(
            "kafka.strimzi.io", Set.of("v1"),
            "monitoring.coreos.com", Set.of("v1"),
            "keda.sh", Set.of("v1alpha1"));

    /** Reads models strictly: the any-setters that would swallow unknown properties are ignored. */
    private final ObjectMapper strict = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                    return Boolean.FALSE;
                }
            });

    List<String> check(Manifest m) {
        if (m.apiVersion() == null || m.kind() == null || m.name() == null) {
            return List.of("object without apiVersion, kind or metadata.name: " + abbreviate(m.body().toString()));
        }
        if (KUBERNETES_GROUPS.contains(m.group())) {
            return checkKubernetes(m);
        }
        Set<String> versions = CUSTOM_RESOURCE_VERSIONS.get(m.group());
        if (versions != null && !versions.contains(m.version())) {
            return List.of(m.id() + ": apiVersion " + m.apiVersion() + " is not the one these manifests target "
                    + versions);
        }
        String modelClass = TYPED_CUSTOM_RESOURCES.get(m.group() + "/" + m.kind());
        if (modelClass != null) {
            return checkTyped(m, modelClass);
        }
        if (m.group().equals("keda.sh") && m.kind().equals("ScaledObject")) {
            return checkScaledObject(m);
        }
        return List.of(m.id() + ": no schema known for " + m.apiVersion() + " " + m.kind());
    }

    // --- Kubernetes kinds ------------------------------------------------------------------------

    private List<String> checkKubernetes(Manifest m) {
        String className = "io.kubernetes.client.openapi.models." + Character.toUpperCase(m.version().charAt(0))
                + m.version().substring(1) + m.kind();
        Class<?> model;
        try {
            model = Class.forName(className);
        } catch (ClassNotFoundException e) {
            return List.of(m.id() + ": unknown kind " + m.kind() + " in " + m.apiVersion());
        }
        return validateKubernetesJson(m.id(), model, JsonParser.parseString(m.body().toString()));
    }

    /** Runs the generated validation of a Kubernetes model class, then a typed read. */
    static List<String> validateKubernetesJson(String id, Class<?> model, JsonElement json) {
        try {
            model.getMethod("validateJsonElement", JsonElement.class).invoke(null, json);
            JSON.getGson().fromJson(json, model);
            return List.of();
        } catch (InvocationTargetException e) {
            return List.of(id + ": " + abbreviate(e.getCause().getMessage()));
        } catch (RuntimeException e) {
            // The typed read: a wrong type, or a value such as a quantity that does not parse.
            return List.of(id + ": not a valid " + model.getSimpleName() + ": " + abbreviate(String.valueOf(e.getMessage())));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(model + " has no validateJsonElement", e);
        }
    }

    // --- Custom resources with Java models ------------------------------------------------------

    private List<String> checkTyped(Manifest m, String modelClass) {
        Object resource;
        try {
            resource = strict.treeToValue(m.body(), Class.forName(modelClass));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("model class missing from the classpath: " + modelClass, e);
        } catch (JsonMappingException e) {
            String path = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("");
            return List.of(m.id() + ": " + path + ": " + abbreviate(e.getOriginalMessage()));
        } catch (Exception e) {
            return List.of(m.id() + ": " + abbreviate(e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        requireProperties(resource, m.body(), m.id(), problems);
        return problems;
    }

    /**
     * Walks the model objects read from the manifest alongside the manifest itself and reports
     * required properties it leaves out. Only what the manifest contains is descended into.
     */
    private void requireProperties(Object value, JsonNode json, String path, List<String> problems) {
        if (value instanceof List<?> items && json.isArray()) {
            for (int i = 0; i < items.size() && i < json.size(); i++) {
                requireProperties(items.get(i), json.get(i), path + "[" + i + "]", problems);
            }
            return;
        }
        if (value instanceof Map<?, ?> map && json.isObject()) {
            map.forEach((key, item) -> requireProperties(item, json.path(String.valueOf(key)), path + "." + key, problems));
            return;
        }
        if (value == null || !json.isObject() || !(value.getClass().getName().startsWith("io.strimzi.")
                || value.getClass().getName().startsWith("io.fabric8."))) {
            return;
        }
        var description = strict.getSerializationConfig().introspect(strict.constructType(value.getClass()));
        for (BeanPropertyDefinition property : description.findProperties()) {
            AnnotatedMember accessor = property.getAccessor();
            JsonNode child = json.get(property.getName());
            if (child == null) {
                if (property.isRequired()) {
                    problems.add(path + ": required field " + property.getName() + " is missing");
                }
            } else if (accessor != null) {
                requireProperties(accessor.getValue(value), child, path + "." + property.getName(), problems);
            }
        }
    }

    // --- KEDA ------------------------------------------------------------------------------------

    private static final Set<String> SCALED_OBJECT_SPEC = Set.of("scaleTargetRef", "pollingInterval",
            "cooldownPeriod", "initialCooldownPeriod", "idleReplicaCount", "minReplicaCount", "maxReplicaCount",
            "fallback", "advanced", "triggers");
    private static final Set<String> SCALED_OBJECT_TRIGGER = Set.of("type", "name", "metadata",
            "authenticationRef", "metricType", "useCachedMetrics");
    private static final Set<String> SCALED_OBJECT_ADVANCED = Set.of("horizontalPodAutoscalerConfig",
            "restoreToOriginalReplicaCount", "scalingModifiers");

    private List<String> checkScaledObject(Manifest m) {
        List<String> problems = new ArrayList<>();
        JsonNode spec = m.at("/spec");
        unknownFields(m.id() + " spec", spec, SCALED_OBJECT_SPEC, problems);
        if (m.at("/spec/scaleTargetRef/name").asText("").isEmpty()) {
            problems.add(m.id() + ": required field spec.scaleTargetRef.name is missing");
        }
        for (String count : List.of("minReplicaCount", "maxReplicaCount", "pollingInterval", "cooldownPeriod")) {
            if (spec.has(count) && !spec.get(count).isInt()) {
                problems.add(m.id() + ": spec." + count + " must be an integer");
            }
        }
        JsonNode advanced = spec.path("advanced");
        unknownFields(m.id() + " spec.advanced", advanced, SCALED_OBJECT_ADVANCED, problems);
        JsonNode behavior = advanced.path("horizontalPodAutoscalerConfig").path("behavior");
        if (!behavior.isMissingNode()) {
            problems.addAll(validateKubernetesJson(m.id() + " spec.advanced.horizontalPodAutoscalerConfig.behavior",
                    io.kubernetes.client.openapi.models.V2HorizontalPodAutoscalerBehavior.class,
                    JsonParser.parseString(behavior.toString())));
        }
        if (!spec.path("triggers").isArray() || spec.path("triggers").isEmpty()) {
            problems.add(m.id() + ": required field spec.triggers is missing or empty");
        }
        spec.path("triggers").forEach(trigger -> {
            unknownFields(m.id() + " trigger", trigger, SCALED_OBJECT_TRIGGER, problems);
            if (trigger.path("type").asText("").isEmpty() || !trigger.path("metadata").isObject()) {
                problems.add(m.id() + ": a trigger needs a type and a metadata map");
            }
            trigger.path("metadata").fields().forEachRemaining(field -> {
                if (!field.getValue().isTextual()) {
                    problems.add(m.id() + ": trigger metadata " + field.getKey() + " must be a string");
                }
            });
        });
        return problems;
    }

    private static void unknownFields(String where, JsonNode object, Set<String> known, List<String> problems) {
        object.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                problems.add(where + ": unknown field " + field);
            }
        });
    }

    static String abbreviate(String message) {
        String text = message == null ? "" : message.replaceAll("\\s+", " ");
        int json = text.indexOf(". JSON: ");
        if (json > 0) {
            text = text.substring(0, json);
        }
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
