package dev.taskscheduler.worker.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskscheduler.worker.WorkerProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    private final WorkerProperties.Retry policy =
            new WorkerProperties.Retry(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 0.2);

    @Test
    void shouldGrowExponentiallyUpToTheCap() {
        RetryBackoff middle = new RetryBackoff(policy, () -> 0.5);

        assertThat(middle.delayAfter(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(middle.delayAfter(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(middle.delayAfter(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(middle.delayAfter(4)).isEqualTo(Duration.ofSeconds(10));
        assertThat(middle.delayAfter(40)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shouldSpreadByTheJitter() {
        assertThat(new RetryBackoff(policy, () -> 0.0).delayAfter(1)).isEqualTo(Duration.ofMillis(1600));
        assertThat(new RetryBackoff(policy, () -> 0.999_999).delayAfter(1)).isEqualTo(Duration.ofMillis(2400));
    }
}
