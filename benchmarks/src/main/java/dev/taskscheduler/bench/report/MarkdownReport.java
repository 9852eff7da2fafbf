package dev.taskscheduler.bench.report;

import dev.taskscheduler.bench.cost.ComponentCost;
import dev.taskscheduler.bench.cost.CostSample;
import dev.taskscheduler.bench.measure.Percentiles;
import dev.taskscheduler.bench.measure.TaskChecks;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** summary.md: the figures of a run as a person reads them. */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    public static String render(BenchmarkResults results) {
        StringBuilder md = new StringBuilder();
        Machine machine = results.machine();
        md.append("# Benchmark results (").append(results.mode()).append(")\n\n")
                .append("Run started ").append(results.startedAt()).append(" against ").append(results.target())
                .append(".\n\nMachine: ").append(machine.cores()).append(" cores (").append(machine.cpu())
                .append("), ").append(machine.memoryMb() / 1024).append(" GiB RAM, ").append(machine.jdk())
                .append(", ").append(machine.os()).append(".\n\n");
        results.notes().forEach(note -> md.append("- ").append(note).append('\n'));
        checks(md, results);
        costOverview(md, results);

        md.append("\n## Baselines\n\n| baseline | value | how |\n|---|---:|---|\n");
        for (BaselineResult baseline : results.baselines()) {
            md.append("| ").append(baseline.title()).append(" (`").append(baseline.id()).append("`) | ")
                    .append(number(baseline.value())).append(' ').append(baseline.unit()).append(" | ")
                    .append(baseline.detail()).append(" |\n");
        }

        md.append("\n## Scenarios against their baselines\n\n| scenario | figure | value | baseline | baseline value "
                + "| ratio |\n|---|---|---:|---|---:|---:|\n");
        for (ScenarioResult scenario : results.scenarios()) {
            for (Comparison comparison : scenario.comparisons()) {
                md.append("| ").append(scenario.title()).append(" | ").append(comparison.measured()).append(" | ")
                        .append(number(comparison.value())).append(" | ").append(comparison.baseline()).append(" | ")
                        .append(number(comparison.baselineValue())).append(" | ")
                        .append(ratio(comparison.ratio())).append(" |\n");
            }
        }

        for (ScenarioResult scenario : results.scenarios()) {
            md.append("\n## ").append(scenario.title()).append("\n\n").append(scenario.method()).append("\n\n");
            if (!scenario.latencies().isEmpty()) {
                md.append("| latency (ms) | count | p50 | p95 | p99 | max |\n|---|---:|---:|---:|---:|---:|\n");
                for (Map.Entry<String, Percentiles> entry : scenario.latencies().entrySet()) {
                    Percentiles p = entry.getValue();
                    md.append("| ").append(entry.getKey()).append(" | ").append(p.count()).append(" | ")
                            .append(number(p.p50())).append(" | ").append(number(p.p95())).append(" | ")
                            .append(number(p.p99())).append(" | ").append(number(p.max())).append(" |\n");
                }
                md.append('\n');
            }
            md.append("| figure | value |\n|---|---:|\n");
            scenario.figures().forEach((name, value) ->
                    md.append("| ").append(name).append(" | ").append(number(value)).append(" |\n"));
            costTable(md, scenario.costs());
            scenario.notes().forEach(note -> md.append("\n- ").append(note));
            md.append('\n');
        }
        return md.toString();
    }

    /** Every check of every scenario that ran tasks, violations first and loud. */
    private static void checks(StringBuilder md, BenchmarkResults results) {
        List<TaskChecks.Result> all = results.scenarios().stream().flatMap(s -> s.checks().stream()).toList();
        if (all.isEmpty()) {
            return;
        }
        md.append("\n## Checks: each accepted task succeeded exactly once, none started early\n\n");
        all.stream().filter(TaskChecks.Result::violated).forEach(check ->
                md.append("**VIOLATED: ").append(check.describe()).append("**\n\n"));
        if (all.stream().noneMatch(TaskChecks.Result::violated)) {
            md.append("No violation.\n\n");
        }
        md.append("| run | accepted | succeeded once | duplicates | early | unfinished | verdict |\n"
                + "|---|---:|---:|---:|---:|---:|---|\n");
        for (TaskChecks.Result check : all) {
            md.append("| ").append(check.label()).append(" | ").append(number(check.accepted())).append(" | ")
                    .append(number(check.succeeded())).append(" | ").append(number(check.duplicates())).append(" | ")
                    .append(number(check.early())).append(" | ").append(number(check.unfinished())).append(" | ")
                    .append(check.violated() ? "**VIOLATED**" : check.unfinished() > 0
                            ? "ok (unfinished: the run stopped waiting)" : "ok").append(" |\n");
        }
    }

    /** CPU per task of every measured span, for the system and each process. */
    private static void costOverview(StringBuilder md, BenchmarkResults results) {
        List<CostSample> all = results.scenarios().stream().flatMap(s -> s.costs().stream()).toList();
        if (all.isEmpty()) {
            return;
        }
        md.append("\n## Cost per task (CPU ms per task; CPU % of one core over the span)\n\n"
                + "| scenario | span | tasks | seconds | system | services JVM | PostgreSQL | Redis | benchmark JVM |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ScenarioResult scenario : results.scenarios()) {
            for (CostSample cost : scenario.costs()) {
                md.append("| ").append(scenario.title()).append(" | ").append(cost.label()).append(" | ")
                        .append(number(cost.tasks())).append(" | ").append(number(cost.seconds()));
                for (String process : List.of(CostSample.SYSTEM, CostSample.SERVICES_JVM, CostSample.POSTGRES,
                        CostSample.REDIS, CostSample.BENCHMARK_JVM)) {
                    md.append(" | ").append(cell(cost.component(process)));
                }
                md.append(" |\n");
            }
        }
    }

    /** One scenario's spans side by side, every process and every service of the services' JVM. */
    private static void costTable(StringBuilder md, List<CostSample> costs) {
        if (costs.isEmpty()) {
            return;
        }
        md.append("\nCPU ms per task (CPU % of one core):\n\n| process / service |");
        costs.forEach(cost -> md.append(' ').append(cost.label()).append(" |"));
        md.append("\n|---|").append("---:|".repeat(costs.size())).append('\n');
        Set<String> rows = new LinkedHashSet<>();
        costs.forEach(cost -> cost.processes().forEach(c -> rows.add(c.name())));
        costs.forEach(cost -> cost.services().forEach(c -> rows.add(c.name())));
        for (String row : rows) {
            boolean service = costs.stream().anyMatch(c -> c.services().stream().anyMatch(s -> s.name().equals(row)));
            md.append("| ").append(service ? "services JVM: " : "").append(row).append(" |");
            costs.forEach(cost -> md.append(' ').append(cell(cost.component(row))).append(" |"));
            md.append('\n');
        }
        for (CostSample cost : costs) {
            if (!cost.otherThreads().isEmpty()) {
                md.append("\nThreads counted as \"other\" in ").append(cost.label()).append(" (CPU ms): ")
                        .append(cost.otherThreads().entrySet().stream()
                                .map(e -> "`" + e.getKey() + "` " + number(e.getValue()))
                                .collect(Collectors.joining(", "))).append('\n');
            }
        }
    }

    /** "ms per task (core %)", or the core share alone when the span ran no tasks. */
    private static String cell(ComponentCost cost) {
        if (cost == null || Double.isNaN(cost.cpuMs())) {
            return "n/a";
        }
        String percent = String.format(Locale.ROOT, "%.1f %%", cost.corePercent());
        return Double.isNaN(cost.msPerTask()) ? percent
                : String.format(Locale.ROOT, "%.3f (%s)", cost.msPerTask(), percent);
    }

    /** Two decimals, or three significant digits for ratios far below one. */
    static String ratio(double value) {
        return Double.isNaN(value) ? "n/a"
                : String.format(Locale.ROOT, value >= 0.1 ? "%.2f" : "%.3g", value);
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (Math.abs(value) >= 100 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
