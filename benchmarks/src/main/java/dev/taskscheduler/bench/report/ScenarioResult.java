package dev.taskscheduler.bench.report;

import dev.taskscheduler.bench.cost.CostSample;
import dev.taskscheduler.bench.measure.Percentiles;
import dev.taskscheduler.bench.measure.TaskChecks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one scenario measured: named figures, latency distributions, the comparisons with its
 * baselines, the CPU it cost, the checks of the tasks it ran and the charts of it. Built up while
 * the scenario runs.
 */
public record ScenarioResult(String id, String title, String method, Map<String, Double> figures,
        Map<String, Percentiles> latencies, List<Comparison> comparisons, List<CostSample> costs,
        List<TaskChecks.Result> checks, List<Chart> charts, List<String> notes) {

    public ScenarioResult(String id, String title, String method) {
        this(id, title, method, new LinkedHashMap<>(), new LinkedHashMap<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    public ScenarioResult figure(String name, double value) {
        figures.put(name, value);
        return this;
    }

    public ScenarioResult latency(String name, Percentiles percentiles) {
        latencies.put(name, percentiles);
        return this;
    }

    public ScenarioResult compare(Comparison comparison) {
        comparisons.add(comparison);
        return this;
    }

    public ScenarioResult cost(CostSample cost) {
        costs.add(cost);
        return this;
    }

    public ScenarioResult check(TaskChecks.Result check) {
        checks.add(check);
        if (check.violated()) {
            notes.add("CHECK VIOLATED: " + check.describe());
        }
        return this;
    }

    public ScenarioResult chart(Chart chart) {
        charts.add(chart);
        return this;
    }

    public ScenarioResult note(String note) {
        notes.add(note);
        return this;
    }
}
