package dev.taskscheduler.bench;

import java.time.Duration;
import java.util.List;

/**
 * Sizes and durations of one run. {@link #full()} fits all scenarios in about 15 minutes on a
 * 2-core machine; {@link #quick()} runs each scenario small, in about 2 minutes, for development.
 *
 * @param restClients     concurrent clients of the REST ingest scenario and the pgbench baselines
 * @param restDuration    measured time of each REST ingest run (after {@code warmup})
 * @param batchSize       tasks per request of the batch endpoint
 * @param topicRecords    submissions produced to tasks.submissions
 * @param e2eRates        offered rates (tasks/s) of the end-to-end steps, lowest first
 * @param stepDuration    how long each rate is offered
 * @param burstSize       tasks of the delayed burst, all due at the same instant
 * @param backlogLevels   tasks (and timers) waiting in the system while c and d are repeated
 * @param backlogBurst    size of the delayed burst at each backlog level
 * @param timerBurst      timers due at one instant in the timer-capacity scenario, run at the
 *                        largest backlog level
 * @param pgbenchDuration duration of each pgbench baseline
 * @param kafkaRecords    records of the Kafka produce/consume baseline
 */
public record Plan(String mode, int restClients, Duration warmup, Duration restDuration, int batchSize,
        int topicRecords, List<Integer> e2eRates, Duration stepDuration, int burstSize, List<Integer> backlogLevels,
        int backlogBurst, int timerBurst, Duration pgbenchDuration, int kafkaRecords) {

    public static Plan quick() {
        return new Plan("quick", 4, Duration.ofSeconds(2), Duration.ofSeconds(5), 100, 3_000,
                List.of(25, 50, 100), Duration.ofSeconds(6), 1_000, List.of(10_000), 500, 5_000,
                Duration.ofSeconds(4), 50_000);
    }

    public static Plan full() {
        return new Plan("full", 8, Duration.ofSeconds(3), Duration.ofSeconds(15), 100, 20_000,
                List.of(25, 50, 75, 100, 150, 200, 300, 400), Duration.ofSeconds(15), 2_000,
                List.of(10_000, 100_000, 1_000_000), 1_000, 100_000, Duration.ofSeconds(10), 500_000);
    }
}
