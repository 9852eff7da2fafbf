package dev.taskscheduler.bench.report;

import java.util.ArrayList;
import java.util.List;

/** Everything one run of bin/benchmark measured; written as results.json. */
public record BenchmarkResults(String startedAt, String mode, String target, Machine machine,
        List<BaselineResult> baselines, List<ScenarioResult> scenarios, List<String> notes) {

    public BenchmarkResults(String startedAt, String mode, String target, Machine machine) {
        this(startedAt, mode, target, machine, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    public double baseline(String id) {
        return baselines.stream().filter(b -> b.id().equals(id)).mapToDouble(BaselineResult::value).findFirst()
                .orElse(Double.NaN);
    }
}
