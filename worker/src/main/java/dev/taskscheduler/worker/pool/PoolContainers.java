package dev.taskscheduler.worker.pool;

import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.worker.WorkerProperties;
import dev.taskscheduler.worker.execution.TaskExecutor;
import dev.taskscheduler.worker.liveness.WorkerHeartbeat;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.DefaultErrorHandler;

/**
 * Three listener containers per configured pool, one per priority: topics {@code tasks.ready.<pool>.high},
 * {@code tasks.ready.<pool>} and {@code tasks.ready.<pool>.low}, all in consumer group {@code worker-<pool>},
 * each with the threads the pool gives that priority. Offsets of handled records are committed once a
 * second ({@code spring.kafka.listener.ack-mode: time} in worker.yml) and on rebalance and stop; a
 * failure of the worker itself (database unreachable) retries the record with backoff.
 *
 * <p>On stop: no more polling, running tasks get the shutdown grace to finish (then they are
 * handed back), offsets are committed, and only then does the heartbeat stop.
 */
class PoolContainers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PoolContainers.class);

    private final ConcurrentKafkaListenerContainerFactory<String, String> factory;
    private final WorkerProperties properties;
    private final TaskExecutor executor;
    private final UnreadableRecordPublisher unreadable;
    private final DefaultErrorHandler errorHandler;
    private final List<ConcurrentMessageListenerContainer<String, String>> containers = new ArrayList<>();

    PoolContainers(ConcurrentKafkaListenerContainerFactory<String, String> factory, WorkerProperties properties,
            TaskExecutor executor, UnreadableRecordPublisher unreadable, DefaultErrorHandler errorHandler) {
        this.factory = factory;
        this.properties = properties;
        this.executor = executor;
        this.unreadable = unreadable;
        this.errorHandler = errorHandler;
    }

    @Override
    public synchronized void start() {
        properties.pools().forEach((pool, settings) -> {
            for (TaskPriority priority : TaskPriority.values()) {
                start(pool, priority, settings.concurrency(priority));
            }
        });
    }

    /** One container per ready topic; the three topics of a pool share its consumer group. */
    private void start(String pool, TaskPriority priority, int threads) {
        String topic = Topics.ready(pool, priority);
        ConcurrentMessageListenerContainer<String, String> container = factory.createContainer(topic);
        container.getContainerProperties().setGroupId(groupOf(pool));
        container.getContainerProperties().setMessageListener(new ReadyTaskListener(pool, executor, unreadable));
        // Room for the grace period plus handing back and committing.
        container.getContainerProperties().setShutdownTimeout(properties.shutdownGrace().toMillis() + 10_000);
        container.setConcurrency(threads);
        container.setCommonErrorHandler(errorHandler);
        container.setBeanName("pool-" + pool + "-" + priority.value());
        container.start();
        containers.add(container);
        log.info("Worker {} consuming {} as group {} with {} threads", properties.id(), topic, groupOf(pool),
                threads);
    }

    @Override
    public synchronized void stop() {
        log.info("Worker {} stopping: running tasks have {} to finish", properties.id(), properties.shutdownGrace());
        executor.beginShutdown(properties.shutdownGrace());
        containers.forEach(ConcurrentMessageListenerContainer::stop);
        containers.clear();
    }

    @Override
    public synchronized boolean isRunning() {
        return !containers.isEmpty();
    }

    /** After the heartbeat starts and before it stops. */
    @Override
    public int getPhase() {
        return WorkerHeartbeat.PHASE + 1;
    }

    static String groupOf(String pool) {
        return "worker-" + pool;
    }
}
