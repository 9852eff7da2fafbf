package dev.taskscheduler.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.OutboxEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class EventMessagesTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Schema MESSAGE = SchemaBuilder.struct()
            .field("prefix", Schema.STRING_SCHEMA)
            .field("content", Schema.BYTES_SCHEMA)
            .build();
    private static final Schema VALUE = SchemaBuilder.struct().field("message", MESSAGE).build();

    @Example
    void aMessageAsTheInsertTriggerWritesItBecomesOneRecordPerEventWithThePayloadUnchanged() {
        String payload = "{\"taskId\":\"0195f1c2-0000-7000-8000-000000000001\",\"type\":\"noop\",\"attempt\":0,"
                + "\"runAt\":1764806400000,\"version\":42,\"priority\":\"normal\"}";
        String content = "[{\"id\":\"8d7f6c1e-4a3b-4c2d-9e1f-0a1b2c3d4e5f\",\"topic\":\"task.events\","
                + "\"key\":\"0195f1c2-0000-7000-8000-000000000001\",\"type\":\"TaskScheduled\",\"payload\":" + payload + "}]";

        List<ProducerRecord<String, String>> records = EventMessages.toProducerRecords(message(OutboxEvent.MESSAGE_PREFIX, content));

        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo("task.events");
            assertThat(record.key()).isEqualTo("0195f1c2-0000-7000-8000-000000000001");
            assertThat(record.value()).isEqualTo(payload);
            assertThat(record.timestamp()).isEqualTo(1_000L);
            assertThat(header(record, "id")).isEqualTo("8d7f6c1e-4a3b-4c2d-9e1f-0a1b2c3d4e5f");
            assertThat(header(record, "eventType")).isEqualTo("TaskScheduled");
        });
    }

    @Example
    void aPayloadCastFromJsonbKeepsItsSpacingAndEveryCharacter() {
        String payload = "{\"error\": \"line 1\\nline \\\"2\\\" é 😀\", \"nested\": {\"list\": [1, 2.50, null, true]}}";
        String content = "[ {\"type\": \"TaskDeadLettered\", \"unknown\": {\"skipped\": [1]}, \"payload\": " + payload
                + ", \"key\": \"k\", \"topic\": \"tasks.dlq\", \"id\": \"8d7f6c1e-4a3b-4c2d-9e1f-0a1b2c3d4e5f\"} ]";

        List<EventMessages.MessageEvent> events = read(content);

        assertThat(events).containsExactly(new EventMessages.MessageEvent(
                UUID.fromString("8d7f6c1e-4a3b-4c2d-9e1f-0a1b2c3d4e5f"), "tasks.dlq", "k", "TaskDeadLettered", payload));
    }

    @Example
    void aPayloadThatIsNoObjectIsPassedOnAsJsonToo() {
        String content = "[{\"id\":\"8d7f6c1e-4a3b-4c2d-9e1f-0a1b2c3d4e5f\",\"topic\":\"t\",\"key\":null,\"type\":\"T\","
                + "\"payload\":\"a \\\"quoted\\\" text\"}]";

        assertThat(read(content)).singleElement().satisfies(event -> {
            assertThat(event.key()).isNull();
            assertThat(event.payloadJson()).isEqualTo("\"a \\\"quoted\\\" text\"");
        });
    }

    @Example
    void aMessageOfAnotherPrefixHasNoRecords() {
        assertThat(EventMessages.toProducerRecords(message("someone-else", "not even json"))).isEmpty();
    }

    @Example
    void aMalformedMessageIsRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> read("{\"id\":\"x\"}")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not an array");
        assertThatThrownBy(() -> read("[{\"topic\":\"t\",\"type\":\"T\",\"payload\":{}}]"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("without its id");
        assertThatThrownBy(() -> read("[{\"id\":\"8d7f6c1e-4a3b-4c2d-9e1f-0a1b2c3d4e5f\",\"topic\":7,\"type\":\"T\","
                + "\"payload\":{}}]")).isInstanceOf(IllegalStateException.class).hasMessageContaining("topic is not text");
        assertThatThrownBy(() -> read("[1]")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("other than event objects");
    }

    /**
     * Whatever the payloads and however the message is spaced, each record carries its event's payload
     * as the same JSON the message holds, with the same id, topic, key and type.
     */
    @Property(tries = 300)
    void everyEventComesOutWithItsPayloadIntact(@ForAll("messages") List<ObjectNode> events,
                                                @ForAll boolean pretty) {
        String content = pretty ? Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(events)
                : Json.write(events);

        List<EventMessages.MessageEvent> parsed = read(content);

        assertThat(parsed).hasSameSizeAs(events);
        for (int i = 0; i < events.size(); i++) {
            ObjectNode expected = events.get(i);
            EventMessages.MessageEvent actual = parsed.get(i);
            assertThat(actual.id()).hasToString(expected.get("id").asString());
            assertThat(actual.topic()).isEqualTo(expected.get("topic").asString());
            assertThat(actual.key()).isEqualTo(expected.get("key").asString());
            assertThat(actual.type()).isEqualTo(expected.get("type").asString());
            // Both read back, so that numbers compare as the same kind of node.
            assertThat(Json.mapper().readTree(actual.payloadJson()))
                    .isEqualTo(Json.mapper().readTree(Json.write(expected.get("payload"))));
        }
    }

    @Provide
    Arbitrary<List<ObjectNode>> messages() {
        return events().list().ofMaxSize(5);
    }

    private static Arbitrary<ObjectNode> events() {
        Arbitrary<String> texts = Arbitraries.strings().ofMaxLength(20);
        return Combinators.combine(Arbitraries.create(UUID::randomUUID), texts, texts, texts, containers())
                .as((id, topic, key, type, payload) -> {
                    ObjectNode event = NODES.objectNode();
                    event.put("id", id.toString());
                    event.put("topic", topic);
                    event.put("key", key);
                    event.put("type", type);
                    event.set("payload", payload);
                    return event;
                });
    }

    private static Arbitrary<JsonNode> containers() {
        return Arbitraries.lazyOf(
                () -> Arbitraries.maps(Arbitraries.strings().ofMaxLength(8), values()).ofMaxSize(4).map(EventMessagesTest::object),
                () -> values().list().ofMaxSize(4).map(EventMessagesTest::array));
    }

    private static Arbitrary<JsonNode> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, scalars()),
                Tuple.of(1, Arbitraries.lazy(EventMessagesTest::containers)));
    }

    private static Arbitrary<JsonNode> scalars() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).map(NODES::stringNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.bigDecimals().between(BigDecimal.valueOf(-1e12), BigDecimal.valueOf(1e12)).ofScale(3)
                        .map(value -> (JsonNode) NODES.numberNode(value)),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()));
    }

    private static JsonNode object(Map<String, JsonNode> fields) {
        ObjectNode object = NODES.objectNode();
        object.setAll(fields);
        return object;
    }

    private static JsonNode array(List<JsonNode> items) {
        return NODES.arrayNode().addAll(new ArrayList<>(items));
    }

    private static List<EventMessages.MessageEvent> read(String content) {
        return EventMessages.read(content.getBytes(StandardCharsets.UTF_8));
    }

    private static SourceRecord message(String prefix, String content) {
        Struct message = new Struct(MESSAGE).put("prefix", prefix).put("content", content.getBytes(StandardCharsets.UTF_8));
        return new SourceRecord(Map.of(), Map.of(), "outbox.message", null, null, null, VALUE,
                new Struct(VALUE).put("message", message), 1_000L);
    }

    private static String header(ProducerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
