package dev.taskscheduler.bench.scenario;

import dev.taskscheduler.bench.Plan;
import dev.taskscheduler.bench.Progress;
import dev.taskscheduler.bench.cost.CostMeter;
import dev.taskscheduler.bench.load.RestClient;
import dev.taskscheduler.bench.report.BenchmarkResults;
import dev.taskscheduler.bench.system.Database;
import dev.taskscheduler.bench.system.Kafka;
import dev.taskscheduler.bench.system.SystemUnderTest;

/** What every scenario works with: the system, its clients, the CPU meter, the plan and the results so far. */
public record ScenarioContext(SystemUnderTest system, Plan plan, RestClient rest, Database db, Kafka kafka,
        CostMeter cost, Progress progress, BenchmarkResults results) {
}
