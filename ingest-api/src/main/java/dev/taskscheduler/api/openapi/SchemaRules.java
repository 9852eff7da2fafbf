package dev.taskscheduler.api.openapi;

import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.TaskStatus;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What the API accepts and returns beyond what springdoc reads from the records: required fields,
 * free-form JSON for payloads and results, enums, formats and examples. The submission's rules and
 * descriptions are taken from the published JSON Schema ({@code schemas/task-submission.schema.json}),
 * so the REST body and the topic record are described by one text.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class SchemaRules {

    static final String SUBMISSION_SCHEMA = "/schemas/task-submission.schema.json";

    private static final List<Object> PRIORITIES = List.of("high", "normal", "low");
    private static final String DATE_TIME_EXAMPLE = "2030-01-01T10:00:00Z";

    /** Request bodies: the fields a request must have. */
    private static final Map<String, List<String>> REQUIRED_IN_REQUESTS = Map.of(
            "TaskSubmission", List.of("type"),
            "TaskTemplate", List.of("type"),
            "ScheduleRequest", List.of("name", "cron", "task"),
            "BatchRequest", List.of("tasks"),
            "NewApiKey", List.of("name", "scopes"));

    /** Answers: every field is written (null where it has no value), except these, left out when empty. */
    private static final Map<String, List<String>> ANSWERS_WITH_OPTIONAL_FIELDS = Map.ofEntries(
            Map.entry("TaskResponse", List.of("attempts")),
            Map.entry("TaskAttempt", List.of()),
            Map.entry("RetryPolicy", List.of()),
            Map.entry("ScheduleResponse", List.of()),
            Map.entry("BatchResponse", List.of()),
            Map.entry("BatchItemResult", List.of("id", "replayed", "problem")),
            Map.entry("ReplayResult", List.of()),
            Map.entry("TopicReplayResult", List.of()),
            Map.entry("StuckTaskReset", List.of()),
            Map.entry("LagReport", List.of()),
            Map.entry("GroupLag", List.of()),
            Map.entry("PartitionLag", List.of()),
            Map.entry("ApiKey", List.of()),
            Map.entry("CreatedApiKey", List.of()));

    /** Fields of answers that are null while they have no value. */
    private static final Map<String, List<String>> NULLABLE_IN_ANSWERS = Map.of(
            "TaskResponse", List.of("workerId", "startedAt", "finishedAt", "lastError", "result", "idempotencyKey"),
            "TaskAttempt", List.of("finishedAt", "outcome", "error"),
            "ScheduleResponse", List.of("nextFireAt"),
            "LagReport", List.of("refreshedAt", "lastError"),
            "ApiKey", List.of("taskTypes", "expiresAt", "revokedAt", "revokedBy"));

    private SchemaRules() {
    }

    static void apply(Map<String, Schema> schemas) {
        JsonNode submission = submissionSchema();
        fromPublishedSchema(schemas.get("TaskSubmission"), submission);
        fromPublishedSchema(schemas.get("RetryRequest"), submission.path("properties").path("retry"));
        REQUIRED_IN_REQUESTS.forEach((name, required) -> with(schemas, name, schema -> schema.setRequired(required)));
        ANSWERS_WITH_OPTIONAL_FIELDS.forEach((name, optional) -> with(schemas, name, schema -> schema.setRequired(
                ((Map<String, Schema>) schema.getProperties()).keySet().stream().filter(p -> !optional.contains(p))
                        .toList())));
        NULLABLE_IN_ANSWERS.forEach((name, nullable) -> with(schemas, name,
                schema -> nullable.forEach(p -> property(schema, p).setNullable(true))));

        for (String name : List.of("TaskSubmission", "TaskResponse", "TaskTemplate")) {
            with(schemas, name, schema -> schema.addProperty("payload", payload()));
        }
        with(schemas, "TaskResponse", schema -> {
            schema.addProperty("result", anyJson("What the handler returned: any JSON value; null until it"
                    + " succeeded, and for handlers that return nothing."));
            property(schema, "status").setEnum(Arrays.stream(TaskStatus.values()).map(status -> (Object) status.dbValue()).toList());
            property(schema, "priority").setEnum(PRIORITIES);
            duration(property(schema, "timeout"), "PT5M", "How long one attempt may run.");
            for (String instant : List.of("runAt", "createdAt", "updatedAt", "startedAt", "finishedAt")) {
                property(schema, instant).setExample(DATE_TIME_EXAMPLE);
            }
        });
        with(schemas, "TaskTemplate", schema -> property(schema, "priority").setEnum(PRIORITIES));
        with(schemas, "RetryPolicy", schema -> {
            duration(property(schema, "initialDelay"), "PT1S", "Wait after the first failed attempt.");
            duration(property(schema, "maxDelay"), "PT5M", "Cap of the wait between attempts.");
        });
        with(schemas, "RescheduleRequest", schema -> {
            property(schema, "runAt").format("date-time").example(DATE_TIME_EXAMPLE)
                    .setDescription("The new due time, with offset; not with `delay`.");
            duration(property(schema, "delay"), "PT30S", "Run this long from now; not with `runAt`.");
        });
        with(schemas, "ScheduleRequest", schema -> property(schema, "misfirePolicy").setEnum(List.of((Object) "skip", "run_once")));
        with(schemas, "ScheduleResponse", schema -> property(schema, "misfirePolicy").setEnum(List.of((Object) "skip", "run_once")));
        with(schemas, "NewApiKey", schema -> duration(property(schema, "expiresIn"), "P90D",
                "Lifetime from now; or `expiresAt`."));
        with(schemas, "BatchItemResult", schema -> {
            property(schema, "status").setEnum(List.of(202, 400, 403, 422));
            schema.addProperty("problem", new Schema<>().$ref("#/components/schemas/" + ProblemAnswers.PROBLEM));
        });
    }

    /** Free-form JSON objects: the payload is handed to the handler unchanged. */
    private static Schema<Object> payload() {
        ObjectSchema payload = new ObjectSchema();
        payload.setAdditionalProperties(true);
        payload.setDescription("Handed to the handler as given: any JSON object, nested up to 64 levels, at most"
                + " 64 KB. Absent or null in a submission: `{}`.");
        // Ordered, so that the document reads the same on every start (Map.of iterates in a random order).
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("url", "https://example.org/hook");
        example.put("body", Map.of("order", 42));
        payload.setExample(example);
        return payload;
    }

    /** The schema of any JSON value (OpenAPI 3.0 writes it as an empty schema). */
    static Schema<Object> anyJson(String description) {
        Schema<Object> any = new Schema<>();
        any.setDescription(description);
        any.setNullable(true);
        return any;
    }

    private static void duration(Schema<?> schema, String example, String description) {
        schema.setType("string");
        schema.setFormat("duration");
        schema.setProperties(null);
        schema.set$ref(null);
        schema.setExample(example);
        schema.setDescription("ISO-8601 duration. " + description);
    }

    /**
     * Copies the published JSON Schema's constraints, descriptions and first examples onto the
     * document's schema of the same object (the published one is JSON Schema 2020-12; OpenAPI 3.0
     * writes a nullable type as {@code nullable}).
     */
    private static void fromPublishedSchema(Schema<?> target, JsonNode source) {
        if (target == null) {
            return;
        }
        target.setDescription(source.path("description").asString());
        source.path("properties").properties().forEach(field -> {
            JsonNode rule = field.getValue();
            Schema<Object> property = property(target, field.getKey());
            if (property.get$ref() != null) {
                return;
            }
            property.setDescription(rule.path("description").asString());
            if (rule.has("format")) {
                property.setFormat(rule.get("format").asString());
            }
            if (rule.has("pattern")) {
                property.setPattern(rule.get("pattern").asString());
            }
            if (rule.has("minimum")) {
                property.setMinimum(rule.get("minimum").decimalValue());
            }
            if (rule.has("maximum")) {
                property.setMaximum(rule.get("maximum").decimalValue());
            }
            if (rule.has("minLength")) {
                property.setMinLength(rule.get("minLength").intValue());
            }
            if (rule.has("maxLength")) {
                property.setMaxLength(rule.get("maxLength").intValue());
            }
            if (rule.has("enum")) {
                List<Object> values = new ArrayList<>();
                rule.get("enum").values().stream().filter(v -> !v.isNull()).forEach(v -> values.add(v.asString()));
                property.setEnum(values);
            }
            if (rule.path("examples").isArray() && !rule.get("examples").isEmpty()) {
                property.setExample(Json.mapper().convertValue(rule.get("examples").get(0), Object.class));
            }
            property.setNullable(rule.path("type").isArray() ? Boolean.TRUE : null);
        });
    }

    static JsonNode submissionSchema() {
        try (InputStream in = SchemaRules.class.getResourceAsStream(SUBMISSION_SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException(SUBMISSION_SCHEMA + " is missing from the class path");
            }
            return Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Schema<Object> property(Schema<?> schema, String name) {
        Schema<Object> property = (Schema<Object>) schema.getProperties().get(name);
        if (property == null) {
            throw new IllegalStateException(name + " is not a property of " + schema.getName());
        }
        return property;
    }

    private static void with(Map<String, Schema> schemas, String name, java.util.function.Consumer<Schema<?>> change) {
        Schema<?> schema = schemas.get(name);
        if (schema == null) {
            throw new IllegalStateException("The document has no schema " + name);
        }
        change.accept(schema);
    }
}
