package dev.taskscheduler.bench;

import dev.taskscheduler.bench.scenario.WarmupRule;
import java.time.Duration;
import java.util.List;

/**
 * Sizes and durations of one run. {@link #full()} fits all scenarios in about 25 minutes on a
 * 2-core machine; {@link #quick()} runs each scenario small, in a few minutes, for development.
 *
 * @param restClients       concurrent clients of the batch endpoint and of the pgbench baselines
 * @param singleClients     concurrent clients of the single-task endpoint
 * @param restDuration      measured time of each REST ingest run (after {@code warmup})
 * @param batchSize         tasks per request of the batch endpoint
 * @param topicRecords      submissions produced to tasks.submissions
 * @param e2eRates          offered rates (tasks/s) of the end-to-end steps, lowest first; they go
 *                          past the peer's rate in a fast hour (about 13,000), so that a ratio of
 *                          1.0 can be measured at all
 * @param stepDuration      how long each rate is offered
 * @param burstSize         tasks of the delayed burst, all due at the same instant
 * @param burstDrainTimeout how long after its due time the burst may take to drain before the rest
 *                          is reported unfinished (and cancelled)
 * @param backlogLevels     tasks (and timers) waiting in the system while c and d are repeated
 * @param backlogBurst      size of the delayed burst at each backlog level
 * @param timerBurst        timers due at one instant in the timer-capacity scenario, run at the
 *                          largest backlog level
 * @param pgbenchDuration   duration of each pgbench baseline
 * @param kafkaRecords      records of the Kafka produce/consume baseline
 * @param peerTasks         instant tasks db-scheduler drains at each thread count
 * @param peerThreads       db-scheduler's thread counts tried; the best is the peer's figure
 * @param idle              how long the idle system's CPU is measured
 * @param warmupRule        the rates and rounds of the warm-up before the scenarios, and when it ends
 * @param warmupStep        how long each round of the warm-up offers its rate through each channel
 */
public record Plan(String mode, int restClients, int singleClients, Duration warmup, Duration restDuration,
        int batchSize, int topicRecords, List<Integer> e2eRates, Duration stepDuration, int burstSize,
        Duration burstDrainTimeout, List<Integer> backlogLevels, int backlogBurst, int timerBurst,
        Duration pgbenchDuration, int kafkaRecords, int peerTasks, List<Integer> peerThreads, Duration idle,
        WarmupRule warmupRule, Duration warmupStep) {

    public static Plan quick() {
        return new Plan("quick", 4, 64, Duration.ofSeconds(2), Duration.ofSeconds(5), 100, 10_000,
                List.of(250, 500, 1_000, 2_000, 4_000, 8_000, 16_000), Duration.ofSeconds(5), 10_000, Duration.ofMinutes(2),
                List.of(10_000), 500, 5_000, Duration.ofSeconds(4), 50_000, 5_000, List.of(10, 20, 50),
                Duration.ofSeconds(15), new WarmupRule(200, 1, 1, 100), Duration.ofSeconds(10));
    }

    public static Plan full() {
        return new Plan("full", 8, 64, Duration.ofSeconds(3), Duration.ofSeconds(15), 100, 100_000,
                List.of(250, 500, 1_000, 1_500, 2_000, 2_500, 3_000, 3_500, 4_000, 5_000, 6_000, 8_000, 10_000,
                        12_000, 14_000, 16_000),
                Duration.ofSeconds(10), 100_000, Duration.ofMinutes(5), List.of(10_000, 100_000, 1_000_000), 1_000,
                100_000, Duration.ofSeconds(10), 500_000, 50_000, List.of(10, 20, 50), Duration.ofSeconds(60),
                new WarmupRule(1_000, 2, 8, 8), Duration.ofSeconds(20));
    }

    /** This plan with another warm-up length per channel and round. */
    public Plan withWarmupStep(Duration step) {
        return new Plan(mode, restClients, singleClients, warmup, restDuration, batchSize, topicRecords, e2eRates,
                stepDuration, burstSize, burstDrainTimeout, backlogLevels, backlogBurst, timerBurst, pgbenchDuration,
                kafkaRecords, peerTasks, peerThreads, idle, warmupRule, step);
    }

    /** This plan with at most {@code rounds} warm-up rounds (0: no warm-up). */
    public Plan withWarmupRounds(int rounds) {
        WarmupRule rule = rounds == 0 ? null : new WarmupRule(warmupRule.rate(),
                Math.min(rounds, warmupRule.minRounds()), rounds, warmupRule.quietJitPercent());
        return new Plan(mode, restClients, singleClients, warmup, restDuration, batchSize, topicRecords, e2eRates,
                stepDuration, burstSize, burstDrainTimeout, backlogLevels, backlogBurst, timerBurst, pgbenchDuration,
                kafkaRecords, peerTasks, peerThreads, idle, rule, warmupStep);
    }
}
