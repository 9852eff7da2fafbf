package dev.taskscheduler.scheduler.timer;

import dev.taskscheduler.model.ReadyTask;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.scheduler.SchedulerProperties;
import dev.taskscheduler.scheduler.errors.ReplaceFailedStreamThread;
import dev.taskscheduler.scheduler.errors.SkipAndCount;
import dev.taskscheduler.scheduler.punctuation.AlarmAwareClientSupplier;
import dev.taskscheduler.scheduler.punctuation.PunctuationAlarms;
import dev.taskscheduler.scheduler.recurring.ScheduleTopology;
import dev.taskscheduler.model.PoolRouting;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.KStream;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.core.KafkaAdmin;

@Configuration(proxyBeanMethods = false)
class TimerConfiguration {

    /** Kafka Streams' commit interval when exactly-once is on and none is set. */
    private static final long EXACTLY_ONCE_DEFAULT_COMMIT_INTERVAL_MS = 100;

    @Bean
    PoolRouting poolRouting(SchedulerProperties properties) {
        return new PoolRouting(properties.defaultPool(), properties.pools());
    }

    /** Time from due to release; the scheduler's precision, as a histogram. */
    @Bean
    Timer releaseLateness(MeterRegistry registry) {
        return Timer.builder("scheduler_release_lateness")
                .description("Time from a task's due time to its release on a ready topic")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
    }

    @Bean
    PendingTimersGauge pendingTimersGauge(StreamsBuilderFactoryBean streams, MeterRegistry registry) {
        return new PendingTimersGauge(streams, registry);
    }

    /**
     * When the punctuations next need their stream thread. The thread stays on Kafka Streams' short
     * polls for one commit interval after records arrive, so their commit keeps its pace.
     */
    @Bean
    PunctuationAlarms punctuationAlarms(KafkaStreamsConfiguration streamsConfiguration) {
        Object commitInterval = streamsConfiguration.asProperties().get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        return new PunctuationAlarms(Duration.ofMillis(commitInterval == null
                ? EXACTLY_ONCE_DEFAULT_COMMIT_INTERVAL_MS : Long.parseLong(commitInterval.toString())));
    }

    /** The stream threads' consumers wait for the alarms rather than poll every {@code poll.ms}. */
    @Bean
    StreamsBuilderFactoryBeanConfigurer alarmAwarePolling(PunctuationAlarms alarms, SchedulerProperties properties) {
        return factoryBean -> factoryBean.setClientSupplier(new AlarmAwareClientSupplier(alarms, properties.idlePoll()));
    }

    /** Adds the timer topology to the StreamsBuilder that Spring Kafka runs. */
    @Bean
    KStream<String, ReadyTask> releasedTasks(StreamsBuilder builder, PoolRouting routing,
            SchedulerProperties properties, PunctuationAlarms alarms, Timer releaseLateness) {
        return TimerTopology.addTo(builder, routing, properties.punctuation(), alarms,
                properties.maxReleasesPerPunctuation(),
                ready -> releaseLateness.record(Duration.ofMillis(Math.max(0, ready.releasedAt() - ready.runAt()))));
    }

    /** Adds the recurring-schedule topology (its own sub-topology and stores). */
    @Bean
    KStream<String, String> scheduledSubmissions(StreamsBuilder builder, SchedulerProperties properties,
            PunctuationAlarms alarms) {
        return ScheduleTopology.addTo(builder, properties.punctuation(), alarms, properties.misfireThreshold());
    }

    @Bean
    NewTopic scheduleEventsTopic(SchedulerProperties properties) {
        return topic(Topics.SCHEDULE_EVENTS, properties);
    }

    /**
     * On a clean stop, leave the consumer group at once so the partitions (and their timers) move
     * to another instance, or to this one after a restart, without waiting for the session timeout.
     */
    @Bean
    StreamsBuilderFactoryBeanConfigurer leaveGroupOnClose() {
        return factoryBean -> factoryBean.setLeaveGroupOnClose(true);
    }

    /**
     * A stream thread that dies (a broker restarted mid-commit) is replaced rather than taking the
     * whole client down; one that keeps dying shuts it down, for the orchestrator to restart.
     */
    @Bean
    StreamsBuilderFactoryBeanConfigurer replaceFailedStreamThreads(MeterRegistry registry) {
        return factoryBean -> factoryBean.setStreamsUncaughtExceptionHandler(
                new ReplaceFailedStreamThread(10, Duration.ofMinutes(10), Clock.systemUTC(), registry));
    }

    /** The registry that {@link SkipAndCount} (created by Kafka Streams itself) counts skipped records in. */
    @Bean
    StreamsBuilderFactoryBeanConfigurer countSkippedRecords(MeterRegistry registry) {
        return factoryBean -> factoryBean.getStreamsConfiguration().put(SkipAndCount.REGISTRY_CONFIG, registry);
    }

    /** The topics this service reads and writes; created if absent (in Kubernetes they are declared). */
    @Bean
    KafkaAdmin.NewTopics schedulerTopics(SchedulerProperties properties, PoolRouting routing) {
        Set<String> pools = new TreeSet<>(routing.pools());
        pools.addAll(properties.knownPools());
        return new KafkaAdmin.NewTopics(pools.stream()
                .flatMap(pool -> Arrays.stream(TaskPriority.values()).map(priority -> Topics.ready(pool, priority)))
                .map(name -> topic(name, properties))
                .toArray(NewTopic[]::new));
    }

    @Bean
    NewTopic taskEventsTopic(SchedulerProperties properties) {
        return topic(Topics.TASK_EVENTS, properties);
    }

    @Bean
    NewTopic retryTopic(SchedulerProperties properties) {
        return topic(Topics.RETRY, properties);
    }

    private static NewTopic topic(String name, SchedulerProperties properties) {
        return TopicBuilder.name(name)
                .partitions(properties.topicPartitions()).replicas(properties.topicReplicas()).build();
    }
}
