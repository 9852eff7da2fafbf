package dev.taskscheduler.api.console.overview;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * A bar chart of counts per minute, drawn by the page as SVG: one bar per minute, scaled to the
 * largest. Each bar carries its minute and count as a tooltip, and the chart a text summary for
 * screen readers.
 *
 * @param title   what is counted, e.g. "Succeeded attempts per minute"
 * @param summary the chart in words: total, peak and the last minute
 * @param bars    one per minute, oldest first
 * @param max     the largest count (the top of the scale)
 */
public record MinuteChart(String title, String summary, List<Bar> bars, long max) {

    /** The drawing's size in SVG units; the page scales it to its width. */
    public static final int WIDTH = 600;
    public static final int HEIGHT = 120;
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    /**
     * @param x      left edge
     * @param y      top edge
     * @param height bar height (0 for an empty minute)
     * @param label  tooltip, e.g. "10:42 UTC: 17"
     */
    public record Bar(double x, double y, double width, double height, String label) {
    }

    static MinuteChart of(String title, Instant start, long[] counts) {
        long max = LongStream.of(counts).max().orElse(0);
        long total = LongStream.of(counts).sum();
        double slot = (double) WIDTH / counts.length;
        List<Bar> bars = new ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) {
            double height = max == 0 ? 0 : (double) HEIGHT * counts[i] / max;
            bars.add(new Bar(i * slot, HEIGHT - height, Math.max(1, slot - 2), height,
                    MINUTE.format(start.plus(Duration.ofMinutes(i))) + ": " + counts[i]));
        }
        String summary = title + " over the last " + counts.length + " minutes: " + total + " in all, at most " + max
                + " in one minute, " + (counts.length == 0 ? 0 : counts[counts.length - 1]) + " in the current minute.";
        return new MinuteChart(title, summary, bars, max);
    }
}
