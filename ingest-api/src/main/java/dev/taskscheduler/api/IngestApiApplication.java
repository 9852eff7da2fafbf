package dev.taskscheduler.api;

import dev.taskscheduler.store.TaskStoreConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** The api-server: REST ingest, submission-topic ingest and task reads. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(TaskStoreConfiguration.class)
public class IngestApiApplication {

    /** Configuration file name ({@code api-server.yml}); each service has its own. */
    public static final String CONFIG_NAME = "api-server";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(IngestApiApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
