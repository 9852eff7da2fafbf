package dev.taskscheduler.scheduler.durability;

import static dev.taskscheduler.scheduler.durability.TimerLoad.assertEachReleasedOnceOnTime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskscheduler.model.ReadyTask;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's guarantees on a real broker: at a steady pace, and across a SIGKILL, a lost state
 * directory and a second instance joining, every timer is released exactly once and never early.
 * Each test counts every release of its own tasks on the ready topic (committed records only).
 */
@RealInfrastructure
class TimerReleaseGuaranteesTest {

    private static final Logger log = LoggerFactory.getLogger(TimerReleaseGuaranteesTest.class);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path workDir;

    private Infrastructure infrastructure;
    private TimerLoad load;

    @BeforeEach
    void connect(Infrastructure infrastructure) {
        this.infrastructure = infrastructure;
        this.load = new TimerLoad(infrastructure);
    }

    @AfterEach
    void disconnect() {
        load.close();
    }

    /**
     * Every timer once and none early, at a steady pace. How late releases are is a figure of the
     * benchmark ({@code scheduler_release_lateness_seconds}), not an assertion here: a loaded test
     * machine would make a bound on time flaky.
     */
    @Test
    void shouldReleaseEveryTimerOnceAndNeverEarlyAtASteadyPace() {
        try (SchedulerInstance scheduler = SchedulerInstance.inProcess(infrastructure, workDir.resolve("state"))) {
            await().atMost(RECOVERY_TIMEOUT).until(scheduler::isRunning);
            // 1,000 timers coming due over 10 seconds: about 100 releases a second.
            List<UUID> tasks = load.schedule(1_000, Duration.ofSeconds(4), Duration.ofSeconds(14));

            await().atMost(RECOVERY_TIMEOUT).until(() -> load.releases().size() >= tasks.size());

            List<ReadyTask> releases = load.releases();
            assertEachReleasedOnceOnTime(tasks, releases);
            long[] lateness = releases.stream().mapToLong(r -> r.releasedAt() - r.runAt()).sorted().toArray();
            long p50 = lateness[lateness.length / 2];
            long p99 = lateness[(int) Math.ceil(lateness.length * 0.99) - 1];
            log.info("Release lateness over {} timers: p50 {} ms, p99 {} ms, max {} ms", lateness.length, p50, p99,
                    lateness[lateness.length - 1]);
        }
    }

    @Test
    void shouldReleaseEveryTimerOnceWhenTheSchedulerIsKilledAndItsStateDirectoryIsLost() throws Exception {
        Process killed = SchedulerInstance.childProcess(infrastructure, workDir.resolve("lost-state"),
                workDir.resolve("killed-scheduler.log"));
        try {
            List<UUID> tasks = load.schedule(300, Duration.ofSeconds(2), Duration.ofSeconds(20));
            await().atMost(RECOVERY_TIMEOUT).until(() -> load.releases().size() >= 30);

            killed.destroyForcibly(); // SIGKILL: no commit, no leaving the group, no closing the stores
            assertThat(killed.waitFor(10, TimeUnit.SECONDS)).isTrue();
            int releasedBeforeKill = load.releases().size();

            // A new instance on an empty state directory rebuilds the timers from the changelog.
            try (SchedulerInstance successor = SchedulerInstance.inProcess(infrastructure, workDir.resolve("new-state"))) {
                await().atMost(RECOVERY_TIMEOUT).until(() -> load.releases().size() >= tasks.size());
                // A little longer: a release repeated after the takeover would show up now.
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                        .until(() -> load.releases().size() == tasks.size());
                assertEachReleasedOnceOnTime(tasks, load.releases());
                assertThat(releasedBeforeKill).isLessThan(tasks.size());
            }
        } finally {
            killed.destroyForcibly();
        }
    }

    @Test
    void shouldReleaseEveryTimerOnceWhileASecondInstanceJoinsKeepsAStandbyAndTakesOver() {
        String[] oneStandby = {"--spring.kafka.streams.properties.num.standby.replicas=1"};
        SchedulerInstance first = SchedulerInstance.inProcess(infrastructure, workDir.resolve("first"), oneStandby);
        try (SchedulerInstance second = startSecond(first, oneStandby)) {
            List<UUID> tasks = load.schedule(300, Duration.ofSeconds(1), Duration.ofSeconds(15));

            // Each instance holds a warm copy of the other's stores.
            await().atMost(RECOVERY_TIMEOUT).until(() -> second.activeTasks() > 0 && second.standbyTasks() > 0
                    && first.activeTasks() > 0 && first.standbyTasks() > 0);
            await().atMost(RECOVERY_TIMEOUT).until(() -> load.releases().size() >= 50);

            first.close(); // the second instance takes over every partition
            await().atMost(RECOVERY_TIMEOUT).until(() -> load.releases().size() >= tasks.size());
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> load.releases().size() == tasks.size());
            assertEachReleasedOnceOnTime(tasks, load.releases());
        } finally {
            first.close();
        }
    }

    private SchedulerInstance startSecond(SchedulerInstance first, String[] args) {
        await().atMost(RECOVERY_TIMEOUT).until(first::isRunning);
        SchedulerInstance second = SchedulerInstance.inProcess(infrastructure, workDir.resolve("second"), args);
        await().atMost(RECOVERY_TIMEOUT).until(() -> first.isRunning() && second.isRunning());
        return second;
    }
}
