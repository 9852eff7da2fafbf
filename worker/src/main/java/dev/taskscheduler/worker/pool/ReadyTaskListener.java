package dev.taskscheduler.worker.pool;

import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.ReadyTask;
import dev.taskscheduler.worker.execution.TaskExecutor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.MessageListener;
import tools.jackson.core.JacksonException;

/** Hands each ready record of a pool to the executor. An unreadable record is logged and skipped. */
class ReadyTaskListener implements MessageListener<String, String> {

    private static final Logger log = LoggerFactory.getLogger(ReadyTaskListener.class);

    private final TaskExecutor executor;

    ReadyTaskListener(TaskExecutor executor) {
        this.executor = executor;
    }

    @Override
    public void onMessage(ConsumerRecord<String, String> record) {
        ReadyTask ready;
        try {
            ready = Json.read(record.value(), ReadyTask.class);
        } catch (JacksonException | IllegalArgumentException e) {
            log.error("Skipping unreadable ready record {}-{}@{} key={}: {}", record.topic(), record.partition(),
                    record.offset(), record.key(), e.getMessage());
            return;
        }
        executor.execute(ready);
    }
}
