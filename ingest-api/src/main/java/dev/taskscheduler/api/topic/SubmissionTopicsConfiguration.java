package dev.taskscheduler.api.topic;

import dev.taskscheduler.api.IngestProperties;
import dev.taskscheduler.model.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

@Configuration(proxyBeanMethods = false)
class SubmissionTopicsConfiguration {

    @Bean
    NewTopic submissionsTopic(IngestProperties properties) {
        return TopicBuilder.name(Topics.SUBMISSIONS)
                .partitions(properties.topicPartitions()).replicas(properties.topicReplicas()).build();
    }

    @Bean
    NewTopic invalidSubmissionsTopic(IngestProperties properties) {
        return TopicBuilder.name(Topics.SUBMISSIONS_INVALID)
                .partitions(properties.topicPartitions()).replicas(properties.topicReplicas()).build();
    }

    /**
     * Failures left to the container are the ones that may pass (database or Kafka unavailable):
     * retry the same record with backoff, without end and without committing its offset.
     */
    @Bean
    DefaultErrorHandler submissionErrorHandler() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(10_000);
        return new DefaultErrorHandler(backOff);
    }
}
