package dev.taskscheduler.bench;

import java.time.Duration;

/** What the benchmark is doing, printed as it goes, with the time since it started. */
public final class Progress {

    private final long started = System.nanoTime();

    public void phase(String text) {
        System.out.printf("%n[%s] == %s%n", elapsed(), text);
        System.out.flush();
    }

    public void status(String format, Object... args) {
        System.out.printf("[%s]    %s%n", elapsed(), String.format(format, args));
        System.out.flush();
    }

    private String elapsed() {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        return String.format("%02d:%02d", elapsed.toMinutes(), elapsed.toSecondsPart());
    }
}
