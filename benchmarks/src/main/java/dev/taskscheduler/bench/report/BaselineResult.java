package dev.taskscheduler.bench.report;

/**
 * A limit of the infrastructure itself, measured on the same machine in the same run.
 *
 * @param id     key the scenarios refer to
 * @param value  transactions or records per second
 * @param detail how it was measured (tool, clients, duration)
 */
public record BaselineResult(String id, String title, double value, String unit, String detail) {
}
