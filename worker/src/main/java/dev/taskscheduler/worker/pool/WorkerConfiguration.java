package dev.taskscheduler.worker.pool;

import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.model.WorkerCapacity;
import dev.taskscheduler.store.TaskClaims;
import dev.taskscheduler.store.TaskRepository;
import dev.taskscheduler.store.WorkerLiveness;
import dev.taskscheduler.worker.WorkerProperties;
import dev.taskscheduler.worker.execution.OutcomeDecision;
import dev.taskscheduler.worker.execution.OutcomeWrites;
import dev.taskscheduler.worker.execution.RetryBackoff;
import dev.taskscheduler.worker.execution.TaskExecutor;
import dev.taskscheduler.worker.execution.WorkerMetrics;
import dev.taskscheduler.worker.handler.HandlerRegistry;
import dev.taskscheduler.worker.limits.TaskTypeLimiter;
import dev.taskscheduler.worker.liveness.DeadWorkerRescuer;
import dev.taskscheduler.worker.liveness.WorkerHeartbeat;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {

    /** Permits outlive a missed heartbeat or two, not a dead worker's rescue. */
    private static final int PERMIT_TTL_HEARTBEATS = 5;

    @Bean
    Clock workerClock() {
        return Clock.systemUTC();
    }

    @Bean
    WorkerMetrics workerMetrics(MeterRegistry registry, WorkerProperties properties, HandlerRegistry handlers) {
        return new WorkerMetrics(registry, properties.pools().keySet(), handlers.types());
    }

    @Bean
    TaskTypeLimiter taskTypeLimiter(StringRedisTemplate redis, WorkerProperties properties, Clock workerClock) {
        Duration permitTtl = properties.heartbeat().interval().multipliedBy(PERMIT_TTL_HEARTBEATS);
        return new TaskTypeLimiter(redis, properties.limits(), properties.id(), permitTtl, workerClock);
    }

    @Bean
    TaskExecutor taskExecutor(WorkerProperties properties, TaskRepository tasks, TaskClaims claims,
            HandlerRegistry handlers, TaskTypeLimiter limiter, WorkerMetrics metrics,
            Clock workerClock, TransactionTemplate transaction) {
        RetryBackoff backoff = new RetryBackoff(properties.retryJitter(), () -> ThreadLocalRandom.current().nextDouble());
        Map<String, Map<TaskPriority, Integer>> capacities = new HashMap<>();
        properties.pools().forEach((pool, settings) -> {
            Map<TaskPriority, Integer> byPriority = new EnumMap<>(TaskPriority.class);
            for (TaskPriority priority : TaskPriority.values()) {
                byPriority.put(priority, settings.concurrency(priority));
            }
            capacities.put(pool, byPriority);
        });
        return new TaskExecutor(properties.id(), tasks, claims, handlers,
                new OutcomeDecision(backoff, properties.id()), limiter,
                new TaskExecutor.Deferral(properties.limitDeferral(), properties.limitDeferralMax()), metrics,
                workerClock, transaction, OutcomeWrites.standard(), capacities);
    }

    @Bean
    WorkerHeartbeat workerHeartbeat(StringRedisTemplate redis, WorkerLiveness liveness, TaskClaims claims,
            TaskExecutor executor, TaskTypeLimiter limiter, WorkerProperties properties, Clock workerClock) {
        return new WorkerHeartbeat(redis, liveness, claims, executor::runningTaskIds,
                () -> capacityOf(properties, executor), limiter, properties, workerClock);
    }

    /** This worker's pools with how many of their handlers are busy now, and its limits. */
    static WorkerCapacity capacityOf(WorkerProperties properties, TaskExecutor executor) {
        Map<String, Map<String, WorkerCapacity.Handlers>> pools = new HashMap<>();
        properties.pools().forEach((pool, settings) -> {
            Map<String, WorkerCapacity.Handlers> byPriority = new HashMap<>();
            for (TaskPriority priority : TaskPriority.values()) {
                int size = settings.concurrency(priority);
                byPriority.put(priority.value(),
                        new WorkerCapacity.Handlers(size, size - executor.pool(pool, priority).freeSlots()));
            }
            pools.put(pool, byPriority);
        });
        Map<String, WorkerCapacity.TypeLimit> limits = new HashMap<>();
        properties.limits().forEach((type, limit) ->
                limits.put(type, new WorkerCapacity.TypeLimit(limit.maxConcurrency(), limit.ratePerSecond())));
        return new WorkerCapacity(pools, limits);
    }

    @Bean
    DeadWorkerRescuer deadWorkerRescuer(TaskRepository tasks, WorkerLiveness liveness, StringRedisTemplate redis, TaskTypeLimiter limiter, WorkerProperties properties, WorkerMetrics metrics) {
        return new DeadWorkerRescuer(tasks, liveness, redis, limiter, properties, metrics);
    }

    @Bean
    UnreadableRecordPublisher unreadableRecordPublisher(KafkaTemplate<String, String> kafka, WorkerMetrics metrics) {
        return new UnreadableRecordPublisher(kafka, metrics);
    }

    @Bean
    PoolConsumers poolConsumers(ConsumerFactory<String, String> consumerFactory, WorkerProperties properties,
            TaskExecutor executor, UnreadableRecordPublisher unreadable) {
        return new PoolConsumers(consumerFactory, properties, executor, unreadable);
    }

    @Bean
    KafkaAdmin.NewTopics workerTopics(WorkerProperties properties) {
        Stream<String> readyTopics = properties.pools().keySet().stream()
                .flatMap(pool -> Arrays.stream(TaskPriority.values()).map(priority -> Topics.ready(pool, priority)));
        return new KafkaAdmin.NewTopics(Stream.concat(readyTopics, Stream.of(Topics.DLQ))
                .map(name -> TopicBuilder.name(name)
                        .partitions(properties.topicPartitions()).replicas(properties.topicReplicas()).build())
                .toArray(NewTopic[]::new));
    }
}
