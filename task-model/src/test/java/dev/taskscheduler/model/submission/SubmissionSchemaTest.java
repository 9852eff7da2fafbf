package dev.taskscheduler.model.submission;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.regex.JoniRegularExpressionFactory;
import dev.taskscheduler.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The published JSON Schema of a submission ({@code schemas/task-submission.schema.json}) against
 * what the API and the submission topic really accept: the JSON reader of both ways in, then
 * {@link SubmissionValidator}.
 *
 * <p>Where a schema can state a rule (JSON types, the type name's pattern, the range of
 * {@code maxRetries} and {@code retry.multiplier}, the priorities, the idempotency key's length and
 * characters, {@code runAt} and {@code delay} excluding each other), the two accept exactly the same
 * submissions. The rules it cannot state are listed in the schema's descriptions; for them the
 * schema is only never stricter than the API, so a client that checks a submission against it never
 * refuses one the API would take:
 * <ul>
 *   <li>times relative to now ({@code runAt} within 1 day past and 365 days ahead, {@code delay} up
 *       to 365 days), the calendar validity of {@code runAt} and the ISO-8601 duration syntax Java
 *       reads (the schema's {@code format} is an annotation);</li>
 *   <li>bounds of durations ({@code timeout} 1 ms to 24 h, {@code retry.maxDelay} at least
 *       {@code retry.initialDelay});</li>
 *   <li>the payload's size in bytes of JSON, NUL characters in it, numbers over 100 characters
 *       written out in full;</li>
 *   <li>{@code maxRetries} written as {@code 3.0}: the same number as {@code 3} for JSON Schema,
 *       which compares values, not how they are written, but no integer literal for the API;</li>
 *   <li>limits configured away from their defaults ({@code scheduler.ingest.*}); the schema states
 *       the defaults.</li>
 * </ul>
 */
class SubmissionSchemaTest {

    private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** A field left out of the document (as opposed to present with {@code null}). */
    private static final JsonNode ABSENT = MissingNode.getInstance();

    private final SubmissionValidator validator =
            new SubmissionValidator(SubmissionLimits.standard(), Clock.fixed(NOW, ZoneOffset.UTC));
    private final Schema schema = loadSchema();

    @Property(tries = 3000)
    void theSchemaAcceptsExactlyWhatTheApiAcceptsWhereItCanStateTheRule(
            @ForAll("expressibleSubmissions") ObjectNode submission) {
        String json = Json.write(submission);

        assertThat(schemaAccepts(json)).as("schema accepts %s (errors: %s)", json, schemaErrors(json))
                .isEqualTo(apiAccepts(json));
    }

    @Property(tries = 3000)
    void theSchemaRefusesNoSubmissionTheApiAccepts(@ForAll("anySubmissions") ObjectNode submission) {
        String json = Json.write(submission);

        if (apiAccepts(json)) {
            assertThat(schemaErrors(json)).as("schema errors for %s", json).isEmpty();
        }
    }

    @Example
    void theSchemaAndTheApiAgreeOnTheReadmeExamples() {
        for (String json : List.of("{\"type\":\"noop\",\"payload\":{\"hello\":\"world\"}}",
                "{\"type\":\"noop\",\"payload\":{\"from\":\"kcat\"}}",
                "{\"type\":\"noop\",\"runAt\":\"2030-01-01T10:00:00Z\",\"maxRetries\":5}",
                "{\"type\":\"noop\",\"delay\":\"PT30S\",\"priority\":\"high\"}")) {
            assertThat(apiAccepts(json)).as(json).isTrue();
            assertThat(schemaErrors(json)).as(json).isEmpty();
        }
    }

    @Example
    void theStatedRulesRefuseWhatTheApiRefuses() {
        for (String json : List.of("{}", "[]", "{\"type\":\"\"}", "{\"type\":\"noop\\n\"}",
                "{\"type\":\"noop\",\"payload\":[1]}", "{\"type\":\"noop\",\"maxRetries\":101}",
                "{\"type\":\"noop\",\"maxRetries\":\"5\"}", "{\"type\":\"noop\",\"priority\":\"urgent\"}",
                "{\"type\":\"noop\",\"runAt\":\"2030-01-01T10:00:00Z\",\"delay\":\"PT1S\"}",
                "{\"type\":\"noop\",\"idempotencyKey\":\" \\u3000\"}",
                "{\"type\":\"noop\",\"retry\":{\"multiplier\":0.5}}")) {
            assertThat(apiAccepts(json)).as(json).isFalse();
            assertThat(schemaErrors(json)).as(json).isNotEmpty();
        }
    }

    // --- the two judges ------------------------------------------------------------------------

    /** Read as both ways in read it (an unreadable body is a 400 there), then validated. */
    private boolean apiAccepts(String json) {
        TaskSubmission submission;
        try {
            submission = Json.mapper().readValue(json, TaskSubmission.class);
        } catch (JacksonException e) {
            return false;
        }
        try {
            validator.validate(submission, NOW);
            return true;
        } catch (InvalidSubmissionException e) {
            return false;
        }
    }

    private boolean schemaAccepts(String json) {
        return schemaErrors(json).isEmpty();
    }

    private List<Error> schemaErrors(String json) {
        return schema.validate(Json.mapper().readTree(json));
    }

    private static Schema loadSchema() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
                        .regularExpressionFactory(JoniRegularExpressionFactory.getInstance()).build()));
        try (InputStream in = SubmissionSchemaTest.class.getResourceAsStream("/schemas/task-submission.schema.json")) {
            assertThat(in).as("the schema on the classpath").isNotNull();
            return registry.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- submissions -----------------------------------------------------------------------------

    @Provide
    Arbitrary<ObjectNode> expressibleSubmissions() {
        return submissions(false);
    }

    @Provide
    Arbitrary<ObjectNode> anySubmissions() {
        return submissions(true);
    }

    /**
     * Documents whose every field is left out, null, of a wrong JSON type, or a value that is valid
     * or invalid by a stated rule; with {@code unstated}, also values broken by a rule the schema
     * cannot state.
     */
    private static Arbitrary<ObjectNode> submissions(boolean unstated) {
        Arbitrary<JsonNode> runAt = unstated ? Arbitraries.oneOf(times(), texts("soon", "", "2030-13-01T10:00:00Z",
                "2040-01-01T10:00:00Z", "2020-01-01T10:00:00Z", "2030-01-01T10:00Z", "2030-01-01 10:00:00Z")) : times();
        Arbitrary<JsonNode> delay = durations("PT30S", "PT0S", "P1D", "P365D", "-PT1S", "P366D", "P1M", "soon",
                unstated);
        Arbitrary<JsonNode> timeout = durations("PT5M", "PT1S", "PT24H", "PT0.5S", "PT0S", "P2D", "x", "PT0.0001S",
                unstated);
        Arbitrary<JsonNode> extra = Arbitraries.oneOf(Arbitraries.just(ABSENT), anyJson());
        return Combinators.combine(List.of(typeNames(), payloads(unstated), runAt, delay, maxRetries(unstated),
                        timeout, retries(unstated), idempotencyKeys(), priorities(), extra))
                .as(values -> {
                    ObjectNode submission = NODES.objectNode();
                    List<String> fields = List.of("type", "payload", "runAt", "delay", "maxRetries", "timeout", "retry",
                            "idempotencyKey", "priority", "comment");
                    for (int i = 0; i < fields.size(); i++) {
                        if (!values.get(i).isMissingNode()) {
                            submission.set(fields.get(i), values.get(i));
                        }
                    }
                    return submission;
                });
    }

    private static Arbitrary<JsonNode> typeNames() {
        Arbitrary<String> wellFormed = Combinators.combine(Arbitraries.strings().withCharRange('a', 'z')
                        .withCharRange('0', '9').ofLength(1), Arbitraries.strings().withCharRange('a', 'z')
                        .withChars('.', '_', ':', '-', 'Z', '7').ofMaxLength(101))
                .as(String::concat);
        return field(Arbitraries.oneOf(wellFormed, Arbitraries.of("noop", "http", "", " ", "-noop", "no op", "noop\n",
                        "nöop", "a".repeat(100), "a".repeat(101)), Arbitraries.strings().ofMaxLength(30))
                .map(NODES::stringNode));
    }

    private static Arbitrary<JsonNode> payloads(boolean unstated) {
        ObjectNode nested = NODES.objectNode();
        nested.putObject("customer").put("id", 42).put("name", "Zoë").putArray("tags").add("a").add(2.50).addNull();
        nested.put("active", true);
        Arbitrary<JsonNode> objects = Arbitraries.oneOf(Arbitraries.just(NODES.objectNode()), Arbitraries.just(nested),
                Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(8), scalars()).ofMaxSize(4)
                        .map(SubmissionSchemaTest::objectOf));
        if (unstated) {
            ObjectNode withNul = NODES.objectNode().put("text", "a\u0000b");
            ObjectNode longNumber = NODES.objectNode().put("n", new BigDecimal("1e300"));
            ObjectNode large = NODES.objectNode().put("text", "x".repeat(70_000));
            objects = Arbitraries.oneOf(objects, Arbitraries.of(withNul, longNumber, large));
        }
        return field(objects);
    }

    private static Arbitrary<JsonNode> times() {
        return field(Arbitraries.of("2030-01-01T10:00:00Z", "2030-06-01T08:30:00.123+02:00", "2029-12-31T10:00:01Z",
                "2030-01-01T11:00:00-05:00").map(NODES::stringNode));
    }

    /** The first four are valid durations, the rest break a rule the schema cannot state. */
    private static Arbitrary<JsonNode> durations(String valid1, String valid2, String valid3, String valid4,
            String invalid1, String invalid2, String invalid3, String invalid4, boolean unstated) {
        Arbitrary<JsonNode> valid = texts(valid1, valid2, valid3, valid4);
        return field(unstated ? Arbitraries.oneOf(valid, texts(invalid1, invalid2, invalid3, invalid4)) : valid);
    }

    private static Arbitrary<JsonNode> maxRetries(boolean unstated) {
        Arbitrary<JsonNode> numbers = Arbitraries.oneOf(
                Arbitraries.integers().between(-3, 103).map(NODES::numberNode),
                Arbitraries.of(-1, 0, 100, 101).map(NODES::numberNode),
                Arbitraries.of(Integer.MIN_VALUE, Integer.MAX_VALUE).map(NODES::numberNode),
                Arbitraries.just(NODES.numberNode(new BigInteger("100000000000000000000"))),
                Arbitraries.of("3.5", "-0.5", "100.5").map(text -> NODES.numberNode(new BigDecimal(text))),
                texts("5", "", "three"));
        if (unstated) {
            numbers = Arbitraries.oneOf(numbers, Arbitraries.of("3.0", "1e1")
                    .map(text -> NODES.numberNode(new BigDecimal(text))));
        }
        return field(numbers);
    }

    private static Arbitrary<JsonNode> retries(boolean unstated) {
        Arbitrary<JsonNode> multiplier = field(Arbitraries.oneOf(
                Arbitraries.integers().between(0, 11).map(NODES::numberNode),
                Arbitraries.of("1.0", "0.999", "10.0", "10.001", "2.5", "-1", "1e1", "1e400")
                        .map(text -> NODES.numberNode(new BigDecimal(text))),
                texts("2.0", "NaN")));
        Arbitrary<JsonNode> initialDelay = durations("PT1S", "PT0S", "PT0.5S", "PT2S", "-PT1S", "P400D", "soon", "",
                unstated);
        Arbitrary<JsonNode> maxDelay = durations("PT5M", "P1D", "PT10S", "P365D", "P366D", "PT0S", "x", "-PT5M",
                unstated);
        Arbitrary<JsonNode> objects = Combinators.combine(initialDelay, multiplier, maxDelay).as((initial, growth, max) -> {
            ObjectNode retry = NODES.objectNode();
            Map.of("initialDelay", initial, "multiplier", growth, "maxDelay", max).forEach((name, value) -> {
                if (!value.isMissingNode()) {
                    retry.set(name, value);
                }
            });
            return retry;
        });
        return field(objects);
    }

    private static Arbitrary<JsonNode> idempotencyKeys() {
        Arbitrary<String> printable = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> blankish = Arbitraries.strings().withChars(' ', '\u00A0', '\u1680', '\u2000', '\u2007', '\u2028',
                '\u202F', '\u3000', '\uFEFF', '\t').ofMinLength(1).ofMaxLength(3);
        Arbitrary<String> lengths = Arbitraries.of(199, 200, 201).flatMap(length -> Arbitraries.of("k", "\uD83D\uDE00")
                .map(unit -> unit.repeat(length)));
        return field(Arbitraries.oneOf(printable, blankish, lengths, Arbitraries.of("order-42", "a\u0000b", "a\u0085",
                "\u007F", "")).map(NODES::stringNode));
    }

    private static Arbitrary<JsonNode> priorities() {
        return field(Arbitraries.oneOf(Arbitraries.of("high", "normal", "low", "HIGH", "", "urgent"),
                Arbitraries.strings().ofMaxLength(6)).map(NODES::stringNode));
    }

    /**
     * The given values, or the field left out, null, or a JSON value other than a string (strings
     * come from {@code values}: what a string field's content must be may be a rule the schema
     * cannot state).
     */
    private static Arbitrary<JsonNode> field(Arbitrary<JsonNode> values) {
        return Arbitraries.frequencyOf(
                Tuple.of(6, values),
                Tuple.of(2, Arbitraries.just(ABSENT)),
                Tuple.of(1, Arbitraries.just(NODES.nullNode())),
                Tuple.of(1, anyJson().filter(value -> !value.isString())));
    }

    private static Arbitrary<JsonNode> texts(String... values) {
        return Arbitraries.of(values).map(NODES::stringNode);
    }

    private static Arbitrary<JsonNode> scalars() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(10).excludeChars('\u0000').map(NODES::stringNode),
                Arbitraries.integers().map(NODES::numberNode), Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()));
    }

    /** A JSON value of any type: scalars, an array, an object. */
    private static Arbitrary<JsonNode> anyJson() {
        return Arbitraries.oneOf(scalars(),
                scalars().list().ofMaxSize(3).map(items -> {
                    var array = NODES.arrayNode();
                    items.forEach(array::add);
                    return array;
                }),
                Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(5), scalars()).ofMaxSize(3)
                        .map(SubmissionSchemaTest::objectOf));
    }

    private static JsonNode objectOf(Map<String, JsonNode> fields) {
        ObjectNode object = NODES.objectNode();
        fields.forEach(object::set);
        return object;
    }
}
