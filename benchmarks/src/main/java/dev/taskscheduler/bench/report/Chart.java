package dev.taskscheduler.bench.report;

import java.util.List;

/**
 * A plot of a scenario: lines over a numeric x axis, or bars when {@code categories} are given.
 *
 * @param categories x labels of a bar chart (null for a line chart)
 */
public record Chart(String title, String xLabel, String yLabel, List<String> categories, List<Series> series) {

    /** @param points (x, y) pairs for a line chart, or one y per category for a bar chart */
    public record Series(String name, List<double[]> points) {
    }

    public static Chart bars(String title, String yLabel, List<String> categories, List<Series> series) {
        return new Chart(title, "", yLabel, categories, series);
    }

    public static Chart lines(String title, String xLabel, String yLabel, List<Series> series) {
        return new Chart(title, xLabel, yLabel, null, series);
    }
}
