package dev.taskscheduler.api.submission;

import dev.taskscheduler.api.IngestProperties;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.submission.SubmissionValidator;
import java.time.Clock;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SubmissionConfiguration {

    /** Request bodies are read with the same rule as records of the submission topic. */
    @Bean
    JsonMapperBuilderCustomizer strictTextFields() {
        return Json::strictText;
    }

    @Bean
    SubmissionValidator submissionValidator(IngestProperties properties) {
        return new SubmissionValidator(properties.limits(), Clock.systemUTC());
    }
}
