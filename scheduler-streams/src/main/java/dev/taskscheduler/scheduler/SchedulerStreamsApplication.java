package dev.taskscheduler.scheduler;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.kafka.annotation.EnableKafkaStreams;

/** The scheduler: holds every future task in a timer store and releases it when it is due. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableKafkaStreams
public class SchedulerStreamsApplication {

    /** Configuration file name ({@code scheduler.yml}); each service has its own. */
    public static final String CONFIG_NAME = "scheduler";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(SchedulerStreamsApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
