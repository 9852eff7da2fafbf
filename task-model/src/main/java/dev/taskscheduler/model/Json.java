package dev.taskscheduler.model;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/** The one JSON configuration used for every record the system writes or reads on Kafka. */
public final class Json {

    /**
     * Bounds on any JSON the system reads from outside (REST bodies, submission records), checked
     * while parsing, so a hostile document is refused before it costs memory or stack: nesting,
     * string, number and field-name sizes, and the size of the whole document.
     */
    public static final StreamReadConstraints READ_CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(64)
            .maxStringLength(1_000_000)
            .maxNumberLength(100)
            .maxNameLength(1_000)
            .maxDocumentLength(8L * 1024 * 1024)
            .build();

    private static final JsonMapper MAPPER = exactNumbers(strictText(JsonMapper.builder(constrainedFactory())))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** A JSON factory that enforces {@link #READ_CONSTRAINTS}. */
    public static JsonFactory constrainedFactory() {
        return JsonFactory.builder().streamReadConstraints(READ_CONSTRAINTS).build();
    }

    private Json() {
    }

    /**
     * Text fields take JSON strings only: a number or boolean where text is expected (an idempotency
     * key, a duration) is a type error, not silently turned into some spelling of itself. The REST
     * API's mapper gets the same rule, so both ways in read a submission alike.
     */
    public static JsonMapper.Builder strictText(JsonMapper.Builder builder) {
        return builder.withCoercionConfig(LogicalType.Textual, config -> config
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    /**
     * Numbers are read as written: a number field takes a JSON number only (not {@code "5"}, and an
     * integer field not {@code 3.5}, which would be cut to 3), and a decimal inside free-form JSON (a
     * payload) keeps every digit instead of being rounded to a double ({@code 1e400} would become
     * infinity). The REST API's mapper gets the same rule, so both ways in read a submission alike.
     */
    public static JsonMapper.Builder exactNumbers(JsonMapper.Builder builder) {
        return builder.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .withCoercionConfig(LogicalType.Integer, config -> config
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, config -> config
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    public static <T> T read(String json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }

    public static <T> T read(byte[] json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }
}
