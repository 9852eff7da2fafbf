package dev.taskscheduler.store;

import dev.taskscheduler.store.cache.TaskStatusCache;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Imported by every service that reads or writes tasks. The repositories write every row they
 * change through to the status cache in Redis after the commit. The worker's claims and outcomes,
 * which no caller reads back at once, are written behind by the cache's writer thread.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TaskStoreProperties.class)
public class TaskStoreConfiguration {

    @Bean
    TaskRepository taskRepository(JdbcClient jdbcClient, TaskStatusCache cache) {
        return new TaskRepository(jdbcClient, cache);
    }

    @Bean
    TaskClaims taskClaims(JdbcClient jdbcClient, TaskStatusCache cache) {
        return new TaskClaims(jdbcClient, cache.writeBehind());
    }

    @Bean
    WorkerLiveness workerLiveness(JdbcClient jdbcClient) {
        return new WorkerLiveness(jdbcClient);
    }

    @Bean
    DeadLetterRepository deadLetterRepository(JdbcClient jdbcClient, TaskStatusCache cache) {
        return new DeadLetterRepository(jdbcClient, cache);
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
