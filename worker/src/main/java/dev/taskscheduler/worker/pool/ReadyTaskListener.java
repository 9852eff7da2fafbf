package dev.taskscheduler.worker.pool;

import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.ReadyTask;
import dev.taskscheduler.worker.execution.TaskExecutor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.MessageListener;
import tools.jackson.core.JacksonException;

/** Hands each ready record of a pool to the executor; an unreadable one goes to the dead-letter topic. */
class ReadyTaskListener implements MessageListener<String, String> {

    private final String pool;
    private final TaskExecutor executor;
    private final UnreadableRecordPublisher unreadable;

    ReadyTaskListener(String pool, TaskExecutor executor, UnreadableRecordPublisher unreadable) {
        this.pool = pool;
        this.executor = executor;
        this.unreadable = unreadable;
    }

    @Override
    public void onMessage(ConsumerRecord<String, String> record) {
        ReadyTask ready;
        try {
            ready = record.value() == null ? null : Json.read(record.value(), ReadyTask.class);
        } catch (JacksonException | IllegalArgumentException e) {
            unreadable.publish(record, "unreadable ready record: " + e.getMessage());
            return;
        }
        if (ready == null || ready.taskId() == null || ready.type() == null) {
            unreadable.publish(record, "ready record without task id or type");
            return;
        }
        executor.execute(ready, pool);
    }
}
