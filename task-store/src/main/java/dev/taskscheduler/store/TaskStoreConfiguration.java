package dev.taskscheduler.store;

import dev.taskscheduler.store.cache.TaskStatusCache;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Imported by every service that reads or writes tasks. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TaskStoreProperties.class)
public class TaskStoreConfiguration {

    @Bean
    TaskRepository taskRepository(JdbcClient jdbcClient) {
        return new TaskRepository(jdbcClient);
    }

    @Bean
    TaskClaims taskClaims(JdbcClient jdbcClient) {
        return new TaskClaims(jdbcClient);
    }

    @Bean
    WorkerLiveness workerLiveness(JdbcClient jdbcClient) {
        return new WorkerLiveness(jdbcClient);
    }

    @Bean
    DeadLetterRepository deadLetterRepository(JdbcClient jdbcClient) {
        return new DeadLetterRepository(jdbcClient);
    }

    @Bean
    ScheduleRepository scheduleRepository(JdbcClient jdbcClient) {
        return new ScheduleRepository(jdbcClient);
    }

    @Bean
    TaskStatusCache taskStatusCache(StringRedisTemplate redis, TaskStoreProperties properties) {
        return new TaskStatusCache(redis, properties.cacheTtl());
    }
}
