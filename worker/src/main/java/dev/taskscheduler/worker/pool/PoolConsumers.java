package dev.taskscheduler.worker.pool;

import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.worker.WorkerProperties;
import dev.taskscheduler.worker.execution.TaskExecutor;
import dev.taskscheduler.worker.liveness.WorkerHeartbeat;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * One consumer per ready topic of the worker's pools ({@code tasks.ready.<pool>}, {@code .high},
 * {@code .low}), all three of a pool in its consumer group {@code worker-<pool>}, each on a thread
 * of its own and with handler threads of its own, so a backlog of one priority never holds back
 * another.
 *
 * <p>On stop: the consumers stop polling and commit; running tasks get the shutdown grace to finish
 * (then they are handed back); their outcomes are written; only then does the heartbeat stop.
 */
class PoolConsumers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PoolConsumers.class);

    private final ConsumerFactory<String, String> consumerFactory;
    private final WorkerProperties properties;
    private final TaskExecutor executor;
    private final UnreadableRecordPublisher unreadable;
    private final List<ReadyTopicConsumer> consumers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    PoolConsumers(ConsumerFactory<String, String> consumerFactory, WorkerProperties properties, TaskExecutor executor,
            UnreadableRecordPublisher unreadable) {
        this.consumerFactory = consumerFactory;
        this.properties = properties;
        this.executor = executor;
        this.unreadable = unreadable;
    }

    @Override
    public synchronized void start() {
        properties.pools().forEach((pool, settings) -> {
            for (TaskPriority priority : TaskPriority.values()) {
                start(pool, priority, settings.concurrency(priority));
            }
        });
    }

    private void start(String pool, TaskPriority priority, int handlers) {
        String name = "worker-" + pool + "-" + priority.value();
        Consumer<String, String> consumer =
                consumerFactory.createConsumer(groupOf(pool), name, "-" + properties.id(), overrides());
        ReadyTopicConsumer topicConsumer = new ReadyTopicConsumer(consumer, pool, priority, executor, unreadable,
                properties.offsetCommitInterval());
        Thread thread = new Thread(topicConsumer, name + "-consumer");
        thread.start();
        consumers.add(topicConsumer);
        threads.add(thread);
        log.info("Worker {} consuming {} as group {} with {} handler threads", properties.id(),
                Topics.ready(pool, priority), groupOf(pool), handlers);
    }

    /**
     * The consumer commits only the offsets of claimed releases. Kafka's default would commit
     * every five seconds whatever was polled, the buffered records too, and a worker killed then
     * would lose them. An idle consumer asks the broker for releases every {@code fetchMaxWait}
     * rather than twice a second.
     */
    private Properties overrides() {
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        overrides.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Long.toString(properties.fetchMaxWait().toMillis()));
        return overrides;
    }

    @Override
    public synchronized void stop() {
        log.info("Worker {} stopping: running tasks have {} to finish", properties.id(), properties.shutdownGrace());
        consumers.forEach(ReadyTopicConsumer::stop);
        for (Thread thread : threads) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        consumers.clear();
        threads.clear();
        executor.stop(properties.shutdownGrace());
    }

    @Override
    public synchronized boolean isRunning() {
        return !consumers.isEmpty();
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
