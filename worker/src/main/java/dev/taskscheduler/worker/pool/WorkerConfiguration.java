package dev.taskscheduler.worker.pool;

import dev.taskscheduler.model.Topics;
import dev.taskscheduler.store.TaskRepository;
import dev.taskscheduler.store.cache.TaskStatusCache;
import dev.taskscheduler.worker.WorkerProperties;
import dev.taskscheduler.worker.execution.RetryBackoff;
import dev.taskscheduler.worker.execution.TaskExecutor;
import dev.taskscheduler.worker.handler.HandlerRegistry;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {

    @Bean
    TaskExecutor taskExecutor(WorkerProperties properties, TaskRepository tasks, TaskStatusCache cache,
            HandlerRegistry handlers) {
        RetryBackoff backoff = new RetryBackoff(properties.retry(), () -> ThreadLocalRandom.current().nextDouble());
        return new TaskExecutor(properties.id(), tasks, cache, handlers, backoff, Clock.systemUTC());
    }

    /** Retries a record whose processing failed for reasons outside the task (infrastructure). */
    @Bean
    DefaultErrorHandler workerErrorHandler() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(10_000);
        return new DefaultErrorHandler(backOff);
    }

    @Bean
    PoolContainers poolContainers(ConcurrentKafkaListenerContainerFactory<String, String> factory,
            WorkerProperties properties, TaskExecutor executor, DefaultErrorHandler workerErrorHandler) {
        return new PoolContainers(factory, properties, executor, workerErrorHandler);
    }

    @Bean
    KafkaAdmin.NewTopics readyTopics(WorkerProperties properties) {
        return new KafkaAdmin.NewTopics(properties.pools().keySet().stream()
                .map(pool -> TopicBuilder.name(Topics.ready(pool))
                        .partitions(properties.topicPartitions()).replicas(properties.topicReplicas()).build())
                .toArray(NewTopic[]::new));
    }
}
