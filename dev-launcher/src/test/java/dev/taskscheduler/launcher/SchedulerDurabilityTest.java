package dev.taskscheduler.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskscheduler.launcher.testing.SystemTestClient;
import dev.taskscheduler.launcher.testing.TestSystems;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.testsupport.ConsumedRecord;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.KafkaTestConsumer;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Timers survive a restart of the scheduler: none lost, none released twice, none early. */
@RealInfrastructure
class SchedulerDurabilityTest {

    @TempDir
    static Path stateDir;

    private static TaskSchedulerSystem system;
    private static SystemTestClient client;
    private static JdbcClient db;
    private static KafkaTestConsumer released;

    @BeforeAll
    static void startSystem(Infrastructure infrastructure) {
        system = TestSystems.start(infrastructure, stateDir, "--spring.main.banner-mode=off");
        db = JdbcClient.create(infrastructure.dataSource());
        client = new SystemTestClient(system.apiUrl(), TestSystems.adminKey(system), db);
        released = infrastructure.consumer(Topics.ready("default"));
    }

    @AfterAll
    static void stopSystem() {
        if (released != null) {
            released.close();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void shouldReleaseEveryTimerExactlyOnceAcrossARestart() {
        List<UUID> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            tasks.add(client.submit("{\"type\":\"noop\",\"delay\":\"PT" + (2 + i % 7) + "S\"}"));
        }

        system.restartScheduler();

        tasks.forEach(id -> client.awaitStatus(id, "succeeded", Duration.ofSeconds(60)));
        // Every release was committed before its task ran; read until all are in.
        await().atMost(SystemTestClient.PIPELINE_TIMEOUT).untilAsserted(() -> {
            Map<String, Long> releases = released.records().stream()
                    .map(ConsumedRecord::key)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(tasks).allSatisfy(id -> assertThat(releases.get(id.toString())).as("releases of %s", id)
                    .isEqualTo(1L));
        });
        assertThat(db.sql("SELECT count(*) FROM tasks WHERE id = ANY(?) AND started_at < run_at")
                .param(tasks.toArray(UUID[]::new)).query(Long.class).single()).isZero();
    }
}
