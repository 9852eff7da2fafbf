package dev.taskscheduler.api.submission;

import dev.taskscheduler.api.IngestProperties;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.submission.SubmissionValidator;
import dev.taskscheduler.store.TaskRepository;
import java.time.Clock;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class SubmissionConfiguration {

    /** Request bodies are read with the same rules as records of the submission topic. */
    @Bean
    JsonMapperBuilderCustomizer strictTextFields() {
        return Json::strictText;
    }

    @Bean
    JsonMapperBuilderCustomizer exactNumbers() {
        return Json::exactNumbers;
    }

    @Bean
    SubmissionValidator submissionValidator(IngestProperties properties) {
        return new SubmissionValidator(properties.limits(), Clock.systemUTC());
    }

    @Bean(destroyMethod = "close")
    TaskSubmissionService taskSubmissionService(SubmissionValidator validator, TaskRepository tasks,
            TransactionTemplate transaction, IngestProperties properties) {
        IngestProperties.GroupCommit groupCommit = properties.groupCommit();
        return new TaskSubmissionService(validator, tasks, transaction, new GroupCommit.Settings(
                groupCommit.maxBatch(), groupCommit.queueCapacity(), groupCommit.committers(),
                groupCommit.answerTimeout()));
    }
}
