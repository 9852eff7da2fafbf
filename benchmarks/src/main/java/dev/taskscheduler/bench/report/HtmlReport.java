package dev.taskscheduler.bench.report;

import dev.taskscheduler.bench.cost.ComponentCost;
import dev.taskscheduler.bench.cost.CostSample;
import dev.taskscheduler.bench.cost.ThreadOwners;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * report.html: the summary with every chart drawn as inline SVG. Self-contained: no scripts, no
 * styles or fonts fetched from anywhere.
 */
public final class HtmlReport {

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd"};
    private static final int WIDTH = 640;
    private static final int HEIGHT = 300;
    private static final int LEFT = 70;
    private static final int BOTTOM = 50;
    private static final int TOP = 30;

    private HtmlReport() {
    }

    public static String render(BenchmarkResults results, String summaryMarkdown) {
        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>Benchmark results</title>
                <style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}svg{margin:1em 0}
                pre{white-space:pre-wrap;background:#f6f6f6;padding:1em}</style></head><body>
                <h1>Benchmark results</h1>
                """);
        for (ScenarioResult scenario : results.scenarios()) {
            html.append("<h2>").append(escape(scenario.title())).append("</h2>\n");
            for (Chart chart : scenario.charts()) {
                html.append(chart.categories() != null ? bars(chart) : lines(chart)).append('\n');
            }
            if (!scenario.costs().isEmpty()) {
                html.append(bars(costChart(scenario.costs()))).append('\n');
            }
        }
        html.append("<h2>Summary</h2>\n<pre>").append(escape(summaryMarkdown)).append("</pre></body></html>\n");
        return html.toString();
    }

    /**
     * CPU per task of each process outside the services' JVM and each service inside it, one bar
     * per span; the share of one core for spans without tasks (idle).
     */
    private static Chart costChart(List<CostSample> costs) {
        boolean perTask = costs.stream().anyMatch(cost -> cost.tasks() > 0);
        List<String> parts = new ArrayList<>(ThreadOwners.ALL);
        parts.addAll(List.of(CostSample.EXITED_THREADS, CostSample.POSTGRES, CostSample.REDIS, CostSample.BENCHMARK_JVM));
        List<Chart.Series> series = new ArrayList<>();
        for (CostSample cost : costs) {
            series.add(new Chart.Series(cost.label(), parts.stream().map(part -> {
                ComponentCost component = cost.component(part);
                return new double[] {component == null ? Double.NaN
                        : perTask ? component.msPerTask() : component.corePercent()};
            }).toList()));
        }
        return Chart.bars(perTask ? "CPU per task by service and process" : "CPU by service and process",
                perTask ? "CPU ms per task" : "% of one core", parts, series);
    }

    private static String bars(Chart chart) {
        int groups = chart.categories().size();
        int perGroup = chart.series().size();
        double max = chart.series().stream().flatMap(s -> s.points().stream()).mapToDouble(p -> p[0])
                .filter(v -> !Double.isNaN(v)).max().orElse(1);
        StringBuilder svg = frame(chart, max, "");
        double groupWidth = (WIDTH - LEFT - 20.0) / Math.max(1, groups);
        double barWidth = groupWidth * 0.8 / perGroup;
        for (int g = 0; g < groups; g++) {
            for (int s = 0; s < perGroup; s++) {
                List<double[]> points = chart.series().get(s).points();
                double value = g < points.size() ? points.get(g)[0] : Double.NaN;
                if (Double.isNaN(value)) {
                    continue;
                }
                double x = LEFT + g * groupWidth + groupWidth * 0.1 + s * barWidth;
                double h = value / max * (HEIGHT - TOP - BOTTOM);
                svg.append(String.format(Locale.ROOT,
                        "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'><title>%s: %s</title></rect>"
                                + "<text x='%.1f' y='%.1f' font-size='10' text-anchor='middle'>%s</text>",
                        x, HEIGHT - BOTTOM - h, barWidth * 0.95, h, COLOURS[s % COLOURS.length],
                        escape(chart.series().get(s).name()), MarkdownReport.number(value), x + barWidth / 2,
                        HEIGHT - BOTTOM - h - 3, MarkdownReport.number(value)));
            }
            double labelX = LEFT + g * groupWidth + groupWidth / 2;
            int labelY = HEIGHT - BOTTOM + 15;
            // Many categories: slanted labels, so that long names do not run into each other.
            svg.append(groups > 6
                    ? String.format(Locale.ROOT, "<text x='%.1f' y='%d' font-size='9' text-anchor='end' "
                            + "transform='rotate(-25 %.1f %d)'>%s</text>", labelX, labelY, labelX, labelY,
                            escape(chart.categories().get(g)))
                    : String.format(Locale.ROOT, "<text x='%.1f' y='%d' font-size='11' text-anchor='middle'>%s</text>",
                            labelX, labelY, escape(chart.categories().get(g))));
        }
        return legend(chart, svg).append("</svg>").toString();
    }

    private static String lines(Chart chart) {
        double maxX = chart.series().stream().flatMap(s -> s.points().stream()).mapToDouble(p -> p[0]).max().orElse(1);
        double maxY = chart.series().stream().flatMap(s -> s.points().stream()).mapToDouble(p -> p[1])
                .filter(v -> !Double.isNaN(v)).max().orElse(1);
        StringBuilder svg = frame(chart, maxY, chart.xLabel());
        for (int s = 0; s < chart.series().size(); s++) {
            StringBuilder path = new StringBuilder();
            for (double[] point : chart.series().get(s).points()) {
                if (Double.isNaN(point[1])) {
                    continue;
                }
                double x = LEFT + point[0] / maxX * (WIDTH - LEFT - 20);
                double y = HEIGHT - BOTTOM - point[1] / maxY * (HEIGHT - TOP - BOTTOM);
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
                svg.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='3' fill='%s'><title>%s</title>"
                        + "</circle><text x='%.1f' y='%d' font-size='10' text-anchor='middle'>%s</text>", x, y,
                        COLOURS[s % COLOURS.length], MarkdownReport.number(point[1]), x, HEIGHT - BOTTOM + 15,
                        MarkdownReport.number(point[0])));
            }
            svg.append("<path d='").append(path).append("' fill='none' stroke='").append(COLOURS[s % COLOURS.length])
                    .append("' stroke-width='2'/>");
        }
        return legend(chart, svg).append("</svg>").toString();
    }

    private static StringBuilder frame(Chart chart, double maxY, String xLabel) {
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d'>"
                        + "<text x='%d' y='18' font-size='14' font-weight='bold'>%s</text>"
                        + "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>"
                        + "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>"
                        + "<text x='10' y='%d' font-size='11'>%s</text>"
                        + "<text x='4' y='%d' font-size='10'>%s</text><text x='%d' y='%d' font-size='11'>%s</text>",
                WIDTH + 200, HEIGHT, WIDTH + 200, HEIGHT, LEFT, escape(chart.title()), LEFT, TOP, LEFT, HEIGHT - BOTTOM,
                LEFT, HEIGHT - BOTTOM, WIDTH - 20, HEIGHT - BOTTOM, TOP + 10, escape(chart.yLabel()), TOP,
                MarkdownReport.number(maxY), WIDTH / 2, HEIGHT - 12, escape(xLabel)));
        return svg;
    }

    private static StringBuilder legend(Chart chart, StringBuilder svg) {
        for (int s = 0; s < chart.series().size(); s++) {
            svg.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='10' height='10' fill='%s'/>"
                            + "<text x='%d' y='%d' font-size='11'>%s</text>", WIDTH - 10, TOP + s * 16,
                    COLOURS[s % COLOURS.length], WIDTH + 4, TOP + 9 + s * 16, escape(chart.series().get(s).name())));
        }
        return svg;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
    }
}
