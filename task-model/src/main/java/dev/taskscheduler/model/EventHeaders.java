package dev.taskscheduler.model;

/** Kafka record header names shared by producers and consumers. */
public final class EventHeaders {

    /** Unique id of an outbox event (set by the relay); consumers deduplicate on it. */
    public static final String EVENT_ID = "id";

    /** Event type of an outbox event, e.g. {@code TaskScheduled}. */
    public static final String EVENT_TYPE = "eventType";

    /** Why a submission record was rejected (on {@link Topics#SUBMISSIONS_INVALID}). */
    public static final String REJECTION_REASON = "rejection.reason";

    /** Where a rejected record came from: {@code topic/partition/offset}. */
    public static final String REJECTION_SOURCE = "rejection.source";

    private EventHeaders() {
    }
}
