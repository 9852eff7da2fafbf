package dev.taskscheduler.scheduler.durability;

import dev.taskscheduler.scheduler.SchedulerStreamsApplication;
import dev.taskscheduler.testsupport.Infrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/** A scheduler started for a test: in this JVM, or as a child process that the test can SIGKILL. */
final class SchedulerInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private SchedulerInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static SchedulerInstance inProcess(Infrastructure infrastructure, Path stateDir, String... extraArgs) {
        return new SchedulerInstance(SchedulerStreamsApplication.builder()
                .run(arguments(infrastructure, stateDir, extraArgs).toArray(String[]::new)));
    }

    /** The same application in a JVM of its own; its output goes to {@code log}. */
    static Process childProcess(Infrastructure infrastructure, Path stateDir, Path log, String... extraArgs) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), SchedulerStreamsApplication.class.getName()));
        command.addAll(arguments(infrastructure, stateDir, extraArgs));
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start a scheduler process", e);
        }
    }

    private static List<String> arguments(Infrastructure infrastructure, Path stateDir, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--spring.main.banner-mode=off",
                "--spring.kafka.bootstrap-servers=" + infrastructure.kafkaBootstrapServers(),
                "--spring.kafka.streams.state-dir=" + stateDir,
                // The broker's smallest session: a killed instance's partitions move on after 6 s.
                "--spring.kafka.streams.properties.session.timeout.ms=6000"));
        args.addAll(Arrays.asList(extraArgs));
        return args;
    }

    KafkaStreams kafkaStreams() {
        return context.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
    }

    boolean isRunning() {
        KafkaStreams streams = kafkaStreams();
        return streams != null && streams.state() == KafkaStreams.State.RUNNING;
    }

    int activeTasks() {
        return kafkaStreams().metadataForLocalThreads().stream().mapToInt(thread -> thread.activeTasks().size()).sum();
    }

    int standbyTasks() {
        return kafkaStreams().metadataForLocalThreads().stream().mapToInt(thread -> thread.standbyTasks().size()).sum();
    }

    @Override
    public void close() {
        context.close();
    }
}
