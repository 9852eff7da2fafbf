package dev.taskscheduler.model;

/**
 * A topic together with the type of its values, so producers and consumers of it cannot disagree
 * on the format. Keys are text (a task or schedule id, or an idempotency key).
 */
public record TypedTopic<V>(String name, Class<V> valueType) {

    public JsonSerde<V> valueSerde() {
        return new JsonSerde<>(valueType);
    }
}
