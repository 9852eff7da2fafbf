package dev.taskscheduler.model;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

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

    private static final JsonMapper MAPPER = JsonMapper.builder(constrainedFactory())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** A JSON factory that enforces {@link #READ_CONSTRAINTS}. */
    public static JsonFactory constrainedFactory() {
        return JsonFactory.builder().streamReadConstraints(READ_CONSTRAINTS).build();
    }

    private Json() {
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
