package dev.taskscheduler.scheduler.timer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.model.EventHeaders;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.ReadyTask;
import dev.taskscheduler.model.TaskEvent;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.model.PoolRouting;
import dev.taskscheduler.scheduler.punctuation.PunctuationAlarms;
import dev.taskscheduler.scheduler.punctuation.PunctuationTiming;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimerTopologyTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final int MAX_PER_PUNCTUATION = 3;

    @TempDir
    Path stateDir;

    private final List<ReadyTask> releases = new ArrayList<>();
    private long version;
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> events;
    private TestOutputTopic<String, String> defaultPool;
    private TestOutputTopic<String, String> ioPool;

    @BeforeEach
    void startTopology() {
        StreamsBuilder builder = new StreamsBuilder();
        TimerTopology.addTo(builder, new PoolRouting("default", Map.of("http", "io")),
                new PunctuationTiming(Duration.ofMillis(10), Duration.ofSeconds(5)), new PunctuationAlarms(Duration.ofMillis(100)),
                MAX_PER_PUNCTUATION, releases::add);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "timer-test");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), config, START);
        events = driver.createInputTopic(Topics.TASK_EVENTS, new StringSerializer(), new StringSerializer());
        defaultPool = driver.createOutputTopic(Topics.ready("default"), new StringDeserializer(), new StringDeserializer());
        ioPool = driver.createOutputTopic(Topics.ready("io"), new StringDeserializer(), new StringDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void shouldReleaseATaskThatIsAlreadyDueWithoutWaitingForAPunctuation() {
        UUID task = UUID.randomUUID();

        send(TaskEvent.SCHEDULED, task, "noop", 0, START.minusSeconds(5));

        assertThat(readyTasks(defaultPool)).extracting(ReadyTask::taskId).containsExactly(task);
    }

    @Test
    void shouldNotReleaseBeforeTheDueTimeAndReleaseWhenItComes() {
        UUID task = UUID.randomUUID();
        send(TaskEvent.SCHEDULED, task, "noop", 0, START.plusSeconds(3));

        driver.advanceWallClockTime(Duration.ofMillis(2_990));
        assertThat(defaultPool.isEmpty()).isTrue();

        driver.advanceWallClockTime(Duration.ofMillis(20));
        List<ReadyTask> ready = readyTasks(defaultPool);
        assertThat(ready).extracting(ReadyTask::taskId).containsExactly(task);
        assertThat(ready.get(0).releasedAt()).isGreaterThanOrEqualTo(ready.get(0).runAt());
        assertThat(store(TimerStores.TIMERS).approximateNumEntries()).isZero();
    }

    @Test
    void shouldRouteEachTypeToItsPool() {
        UUID http = UUID.randomUUID();
        UUID noop = UUID.randomUUID();

        send(TaskEvent.SCHEDULED, http, "http", 0, START);
        send(TaskEvent.SCHEDULED, noop, "noop", 0, START);

        assertThat(readyTasks(ioPool)).extracting(ReadyTask::taskId).containsExactly(http);
        assertThat(readyTasks(defaultPool)).extracting(ReadyTask::taskId).containsExactly(noop);
    }

    @Test
    void shouldReplaceATimerWhenTheTaskIsRescheduled() {
        UUID task = UUID.randomUUID();
        send(TaskEvent.SCHEDULED, task, "noop", 0, START.plusSeconds(1));
        send(TaskEvent.SCHEDULED, task, "noop", 1, START.plusSeconds(5));

        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertThat(defaultPool.isEmpty()).isTrue();

        driver.advanceWallClockTime(Duration.ofSeconds(4));
        assertThat(readyTasks(defaultPool)).extracting(ReadyTask::attempt).containsExactly(1);
    }

    @Test
    void shouldNeverReleaseACancelledTask() {
        UUID task = UUID.randomUUID();
        send(TaskEvent.SCHEDULED, task, "noop", 0, START.plusSeconds(1));
        send(TaskEvent.CANCELLED, task, "noop", 0, START.plusSeconds(1));

        driver.advanceWallClockTime(Duration.ofSeconds(10));

        assertThat(defaultPool.isEmpty()).isTrue();
        assertThat(store(TimerStores.DUE_BY_TASK).approximateNumEntries()).isZero();
    }

    @Test
    void shouldReleaseABurstInBoundedBatchesOldestFirst() {
        List<UUID> tasks = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            UUID task = UUID.randomUUID();
            tasks.add(task);
            send(TaskEvent.SCHEDULED, task, "noop", 0, START.plusMillis(1_000 + i));
        }

        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertThat(readyTasks(defaultPool)).hasSize(MAX_PER_PUNCTUATION);

        driver.advanceWallClockTime(Duration.ofMillis(10));
        driver.advanceWallClockTime(Duration.ofMillis(10));
        assertThat(releases).extracting(ReadyTask::taskId).containsExactlyElementsOf(tasks);
    }

    @Test
    void shouldReleaseDueHighPriorityTasksBeforeABacklogOfLowPriorityOnesOnTheirOwnTopics() {
        TestOutputTopic<String, String> high = driver.createOutputTopic(Topics.ready("default", TaskPriority.HIGH),
                new StringDeserializer(), new StringDeserializer());
        TestOutputTopic<String, String> low = driver.createOutputTopic(Topics.ready("default", TaskPriority.LOW),
                new StringDeserializer(), new StringDeserializer());
        for (int i = 0; i < 10; i++) {
            send(TaskEvent.SCHEDULED, UUID.randomUUID(), "noop", 0, START.plusMillis(1_000), ++version,
                    TaskPriority.LOW);
        }
        UUID urgent = UUID.randomUUID();
        // Due later than the whole low-priority burst, and still released first.
        send(TaskEvent.SCHEDULED, urgent, "noop", 0, START.plusMillis(1_005), ++version, TaskPriority.HIGH);

        driver.advanceWallClockTime(Duration.ofMillis(1_010));

        assertThat(readyTasks(high)).singleElement().satisfies(ready -> {
            assertThat(ready.taskId()).isEqualTo(urgent);
            assertThat(ready.priority()).isEqualTo(TaskPriority.HIGH);
        });
        assertThat(readyTasks(low)).hasSize(MAX_PER_PUNCTUATION - 1);
        assertThat(defaultPool.isEmpty()).isTrue();
    }

    @Test
    void shouldTimeRetriesFromTheRetryTopicLikeAnyOtherEvent() {
        TestInputTopic<String, String> retries =
                driver.createInputTopic(Topics.RETRY, new StringSerializer(), new StringSerializer());
        UUID task = UUID.randomUUID();
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.EVENT_TYPE, TaskEvent.SCHEDULED.getBytes(StandardCharsets.UTF_8));

        retries.pipeInput(new TestRecord<>(task.toString(),
                Json.write(new TaskEvent(task, "noop", 2, START.plusSeconds(4).toEpochMilli(), 1, null)), headers, START));
        driver.advanceWallClockTime(Duration.ofSeconds(3));
        assertThat(defaultPool.isEmpty()).isTrue();

        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertThat(readyTasks(defaultPool)).extracting(ReadyTask::attempt).containsExactly(2);
    }

    @Test
    void shouldIgnoreAReplayedOlderEventInsteadOfReplacingANewerTimer() {
        UUID task = UUID.randomUUID();
        send(TaskEvent.SCHEDULED, task, "noop", 1, START.plusSeconds(5), 20);
        // The relay replays the event of the first attempt after a crash.
        send(TaskEvent.SCHEDULED, task, "noop", 0, START.minusSeconds(1), 10);

        assertThat(defaultPool.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        assertThat(readyTasks(defaultPool)).extracting(ReadyTask::attempt).containsExactly(1);
    }

    private void send(String eventType, UUID task, String type, int attempt, Instant runAt) {
        send(eventType, task, type, attempt, runAt, ++version);
    }

    private void send(String eventType, UUID task, String type, int attempt, Instant runAt, long eventVersion) {
        send(eventType, task, type, attempt, runAt, eventVersion, TaskPriority.NORMAL);
    }

    private void send(String eventType, UUID task, String type, int attempt, Instant runAt, long eventVersion,
            TaskPriority priority) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.EVENT_TYPE, eventType.getBytes(StandardCharsets.UTF_8));
        headers.add(EventHeaders.EVENT_ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        String value = Json.write(new TaskEvent(task, type, attempt, runAt.toEpochMilli(), eventVersion, priority));
        events.pipeInput(new TestRecord<>(task.toString(), value, headers, START));
    }

    private static List<ReadyTask> readyTasks(TestOutputTopic<String, String> topic) {
        return topic.readValuesToList().stream().map(json -> Json.read(json, ReadyTask.class)).toList();
    }

    private org.apache.kafka.streams.state.KeyValueStore<Object, Object> store(String name) {
        return driver.getKeyValueStore(name);
    }
}
