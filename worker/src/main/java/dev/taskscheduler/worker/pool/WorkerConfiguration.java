package dev.taskscheduler.worker.pool;

import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.store.TaskRepository;
import dev.taskscheduler.store.cache.TaskStatusCache;
import dev.taskscheduler.worker.WorkerProperties;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

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
    TaskExecutor taskExecutor(WorkerProperties properties, TaskRepository tasks, TaskStatusCache cache,
            HandlerRegistry handlers, TaskTypeLimiter limiter, WorkerMetrics metrics, Clock workerClock) {
        RetryBackoff backoff = new RetryBackoff(properties.retryJitter(), () -> ThreadLocalRandom.current().nextDouble());
        return new TaskExecutor(properties.id(), tasks, cache, handlers, backoff, limiter, properties.limitDeferral(),
                metrics, workerClock, OutcomeWrites.standard());
    }

    @Bean
    WorkerHeartbeat workerHeartbeat(StringRedisTemplate redis, TaskRepository tasks, TaskTypeLimiter limiter,
            WorkerProperties properties, Clock workerClock) {
        return new WorkerHeartbeat(redis, tasks, limiter, properties, workerClock);
    }

    @Bean
    DeadWorkerRescuer deadWorkerRescuer(TaskRepository tasks, TaskStatusCache cache, StringRedisTemplate redis,
            TaskTypeLimiter limiter, WorkerProperties properties, WorkerMetrics metrics) {
        return new DeadWorkerRescuer(tasks, cache, redis, limiter, properties, metrics);
    }

    /** Retries a record whose processing failed for reasons outside the task (infrastructure). */
    @Bean
    DefaultErrorHandler workerErrorHandler() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(10_000);
        return new DefaultErrorHandler(backOff);
    }

    @Bean
    UnreadableRecordPublisher unreadableRecordPublisher(KafkaTemplate<String, String> kafka, WorkerMetrics metrics) {
        return new UnreadableRecordPublisher(kafka, metrics);
    }

    @Bean
    PoolContainers poolContainers(ConcurrentKafkaListenerContainerFactory<String, String> factory,
            WorkerProperties properties, TaskExecutor executor, UnreadableRecordPublisher unreadable,
            DefaultErrorHandler workerErrorHandler) {
        return new PoolContainers(factory, properties, executor, unreadable, workerErrorHandler);
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
