package dev.taskscheduler.relay.delivery;

/**
 * Kafka did not take an outbox event. Deliberately not a Kafka Connect {@code RetriableException}: the engine would
 * retry by polling on, past the unsent batch, instead of stopping before its offsets are committed.
 */
public class OutboxDeliveryException extends RuntimeException {

    OutboxDeliveryException(String event, Throwable cause) {
        super("Kafka did not acknowledge " + event + ": " + cause, cause);
    }
}
