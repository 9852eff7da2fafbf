package dev.taskscheduler.testsupport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples of a Prometheus text exposition ({@code /actuator/prometheus}), for assertions on what a
 * scraper would see.
 */
public final class PrometheusText {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+).*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One sample: metric name, labels, value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    public static PrometheusText parse(String exposition) {
        return new PrometheusText(exposition.lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(SAMPLE::matcher)
                .filter(Matcher::matches)
                .map(m -> new Sample(m.group(1), labels(m.group(2)), Double.parseDouble(m.group(3))))
                .toList());
    }

    /** Samples of {@code name} whose labels include all of {@code labels}. */
    public List<Sample> samples(String name, Map<String, String> labels) {
        return samples.stream()
                .filter(sample -> sample.name().equals(name))
                .filter(sample -> sample.labels().entrySet().containsAll(labels.entrySet()))
                .toList();
    }

    /** Sum of the samples of {@code name} whose labels include all of {@code labels}. */
    public double sum(String name, Map<String, String> labels) {
        return samples(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    /** The single sample of {@code name} with these labels (among others); fails unless exactly one matches. */
    public double value(String name, Map<String, String> labels) {
        List<Sample> matching = samples(name, labels);
        if (matching.size() != 1) {
            throw new AssertionError("Expected one sample " + name + labels + ", found " + matching);
        }
        return matching.get(0).value();
    }

    public boolean has(String name, Map<String, String> labels) {
        return !samples(name, labels).isEmpty();
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text != null) {
            Matcher m = LABEL.matcher(text);
            while (m.find()) {
                labels.put(m.group(1), m.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
            }
        }
        return labels;
    }
}
