package dev.taskscheduler.bench.report;

import dev.taskscheduler.bench.measure.Percentiles;
import java.util.Locale;
import java.util.Map;

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
            scenario.notes().forEach(note -> md.append("\n- ").append(note));
            md.append('\n');
        }
        return md.toString();
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
