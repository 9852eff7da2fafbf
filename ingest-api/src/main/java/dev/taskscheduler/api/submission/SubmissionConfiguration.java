package dev.taskscheduler.api.submission;

import dev.taskscheduler.api.IngestProperties;
import dev.taskscheduler.model.submission.SubmissionValidator;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SubmissionConfiguration {

    @Bean
    SubmissionValidator submissionValidator(IngestProperties properties) {
        return new SubmissionValidator(properties.limits(), Clock.systemUTC());
    }
}
