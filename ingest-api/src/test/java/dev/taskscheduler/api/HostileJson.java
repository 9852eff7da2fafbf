package dev.taskscheduler.api;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generators of what a hostile or careless client sends: JSON documents whose fields hold values of
 * every type and size, from the plausible to the absurd, and documents that are not JSON at all.
 */
final class HostileJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private HostileJson() {
    }

    /** Text a field of type string may hold: durations, date-times and arbitrary text, sane and not. */
    static Arbitrary<String> texts() {
        Arbitrary<String> durations = Combinators.combine(Arbitraries.of("PT", "-PT", "P", "P1DT", "PT-"),
                        Arbitraries.of("0", "1", "0.0001", "30", "99999999999999", "10000000000000", "1e3", "-5"),
                        Arbitraries.of("S", "M", "H", "D", ""))
                .as((prefix, amount, unit) -> prefix + amount + unit);
        Arbitrary<String> times = Arbitraries.of("2030-01-01T10:00:00Z", "+999999999-12-31T23:59:59Z",
                "-999999999-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "2030-01-01T10:00:00", "2030-13-45T99:99:99Z",
                "now");
        Arbitrary<String> odd = Arbitraries.of("", " ", "\u0000", "a\u0000b", "\uD800", "🙂", "null", "NaN",
                "x".repeat(5000), "noop", "high", "low", "skip", "run_once", "* * * * *", "0 0 31 2 *",
                "Europe/Paris", "Mars/Olympus", "../../etc/passwd", "' OR 1=1 --", "line\nbreak", "tab\t", "%");
        return Arbitraries.oneOf(durations, times, odd, Arbitraries.strings().ofMaxLength(40));
    }

    /** JSON text of a value of any type: strings, numbers out of every range, booleans, null, arrays, objects. */
    static Arbitrary<String> values() {
        Arbitrary<String> strings = texts().map(text -> NODES.stringNode(text).toString());
        Arbitrary<String> numbers = Arbitraries.oneOf(
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.of("1e400", "-1e400", "0.0000000001", "-0", "12345678901234567890123", "1.5", "3"));
        Arbitrary<String> others = Arbitraries.of("true", "false", "null", "[]", "{}", "[1,\"a\",null]",
                "{\"a\":{\"b\":{\"c\":[1,2,{\"d\":\"e\"}]}}}", "[".repeat(3000) + "]".repeat(3000),
                "{\"k\":\"" + "v".repeat(70_000) + "\"}");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, strings), net.jqwik.api.Tuple.of(3, numbers), net.jqwik.api.Tuple.of(2, others));
    }

    /**
     * A JSON object with a random subset of {@code fields}, each holding any value, sometimes with an
     * unknown field beside them; or now and then a document that is no object at all.
     */
    static Arbitrary<String> objects(List<String> fields) {
        Arbitrary<String> object = Arbitraries.maps(Arbitraries.oneOf(Arbitraries.of(fields),
                                Arbitraries.of("unknownField", "")), values())
                .ofMaxSize(fields.size() + 1)
                .map(HostileJson::objectText);
        Arbitrary<String> notAnObject = Arbitraries.of("", "[]", "\"noop\"", "42", "null", "{", "{\"type\":",
                "{\"type\":\"noop\"}}", "<xml/>", "{'type':'noop'}");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, object), net.jqwik.api.Tuple.of(1, notAnObject));
    }

    /** A submission whose fields are each either plausible or hostile, with {@code type} usually valid. */
    static Arbitrary<String> submissions() {
        return objects(List.of("type", "payload", "runAt", "delay", "maxRetries", "timeout", "retry", "priority",
                "idempotencyKey"))
                .map(json -> json.startsWith("{") && !json.contains("\"type\"") && json.length() > 2
                        ? "{\"type\":\"noop\"," + json.substring(1)
                        : json);
    }

    /** The object {@code {"name": value, ...}} with every value given as JSON text. */
    static String objectText(java.util.Map<String, String> fields) {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(NODES.stringNode(name)).append(':').append(value);
        });
        return json.append('}').toString();
    }

    /** A valid noop submission, to prove that what follows hostile input still flows. */
    static ObjectNode validSubmission() {
        return NODES.objectNode().put("type", "noop").put("delay", "PT1H");
    }
}
