package dev.taskscheduler.worker;

import dev.taskscheduler.store.TaskStoreConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** A worker: consumes the ready topics of its pools and runs the tasks. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(TaskStoreConfiguration.class)
public class WorkerApplication {

    /** Configuration file name ({@code worker.yml}); each service has its own. */
    public static final String CONFIG_NAME = "worker";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(WorkerApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
