package dev.taskscheduler.model;

/** Names of the Kafka topics the system reads and writes. */
public final class Topics {

    /** Task submissions from external producers (JSON, see {@link TaskSubmission}). */
    public static final String SUBMISSIONS = "tasks.submissions";

    /** Submission records that could not be accepted; the reason is in a header. */
    public static final String SUBMISSIONS_INVALID = "tasks.submissions.invalid";

    /** Task lifecycle events relayed from the outbox (key = task id). */
    public static final String TASK_EVENTS = "task.events";

    /** Retries of failed attempts, relayed from the outbox (key = task id); same value as task.events. */
    public static final String RETRY = "tasks.retry";

    /** Changes of recurring schedules, relayed from the outbox (key = schedule id). */
    public static final String SCHEDULE_EVENTS = "schedules.events";

    /** Tasks that used up their attempts. */
    public static final String DLQ = "tasks.dlq";

    private static final String READY_PREFIX = "tasks.ready.";

    /** {@link #TASK_EVENTS} with its record type. */
    public static final TypedTopic<TaskEvent> TASK_EVENT_RECORDS = new TypedTopic<>(TASK_EVENTS, TaskEvent.class);

    /** {@link #RETRY} with its record type, the same as task.events. */
    public static final TypedTopic<TaskEvent> RETRY_RECORDS = new TypedTopic<>(RETRY, TaskEvent.class);

    /** {@link #SCHEDULE_EVENTS} with its record type. */
    public static final TypedTopic<ScheduleEvent> SCHEDULE_EVENT_RECORDS =
            new TypedTopic<>(SCHEDULE_EVENTS, ScheduleEvent.class);

    /** {@link #DLQ} with the record type of dead-lettered tasks. */
    public static final TypedTopic<DeadLetterRecord> DLQ_RECORDS = new TypedTopic<>(DLQ, DeadLetterRecord.class);

    private Topics() {
    }

    /** The ready topic of one pool and priority with its record type. */
    public static TypedTopic<ReadyTask> readyRecords(String pool, TaskPriority priority) {
        return new TypedTopic<>(ready(pool, priority), ReadyTask.class);
    }

    /** The topic on which the scheduler releases due tasks of normal priority for one worker pool. */
    public static String ready(String pool) {
        return READY_PREFIX + pool;
    }

    /**
     * The ready topic of one pool and priority: {@code tasks.ready.<pool>} for normal tasks,
     * {@code tasks.ready.<pool>.high} and {@code tasks.ready.<pool>.low} for the others.
     */
    public static String ready(String pool, TaskPriority priority) {
        return priority == TaskPriority.NORMAL ? ready(pool) : ready(pool) + "." + priority.value();
    }
}
